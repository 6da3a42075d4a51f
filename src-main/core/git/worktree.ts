/**
 * The work tree and the staging area as two overlays on the HEAD snapshot:
 *   index(p)    = staged.has(p) ? staged.get(p) : head(p)
 *   worktree(p) = work.has(p)   ? work.get(p)   : index(p)
 * An overlay entry equal to what it covers is dropped at once, so both maps hold exactly the changed paths:
 * status, stage and commit cost O(changed), never a scan of the tree. Contents of files not yet committed
 * live in `blobs` until a commit moves them into the object store.
 */
import { GovcError } from '../../../src-shared/errors';
import type { Entry } from './objects';
import type { Changes, Snapshot } from './snapshot';
import { ancestors, isUnder } from './validate';

export type StagedState = 'added' | 'modified' | 'deleted';
export type UnstagedState = 'new' | 'modified' | 'deleted';

export interface FileStatus {
  path: string;
  /** Change between HEAD and the staging area. */
  staged: StagedState | null;
  /** Change between the staging area and the work tree; `new` is an untracked file. */
  unstaged: UnstagedState | null;
}

export function sameEntry(a: Entry | null | undefined, b: Entry | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.oid === b.oid && a.mode === b.mode;
}

export class WorkTree {
  readonly staged = new Map<string, Entry | null>();
  readonly work = new Map<string, Entry | null>();
  readonly blobs = new Map<string, Buffer>();
  /**
   * For each directory, how many files below it exist only through the overlays (not in HEAD): answers
   * "is this a directory in the work tree" without scanning the overlays, which bulk writes would make
   * quadratic.
   */
  private readonly addedUnder = new Map<string, number>();
  private tracking = false;

  constructor(public head: Snapshot) {}

  private isAdded(path: string): boolean {
    return !this.head.files.has(path) && this.workEntry(path) !== undefined;
  }

  /** Runs a change of one path's overlay entries and keeps `addedUnder` in step. */
  private track(path: string, change: () => void): void {
    // Nested calls (stage → setStaged) count once, at the outermost level.
    if (this.tracking) return change();
    this.tracking = true;
    const before = this.isAdded(path);
    try {
      change();
    } finally {
      this.tracking = false;
    }
    const after = this.isAdded(path);
    if (before === after) return;
    for (const dir of ancestors(path)) {
      const n = (this.addedUnder.get(dir) ?? 0) + (after ? 1 : -1);
      if (n === 0) this.addedUnder.delete(dir);
      else this.addedUnder.set(dir, n);
    }
  }

  /** Recounts `addedUnder` after the overlays were replaced wholesale. O(changed). */
  reindex(): void {
    this.addedUnder.clear();
    for (const p of new Set([...this.staged.keys(), ...this.work.keys()])) {
      if (!this.isAdded(p)) continue;
      for (const dir of ancestors(p)) this.addedUnder.set(dir, (this.addedUnder.get(dir) ?? 0) + 1);
    }
  }

  /** Replaces both overlays and the pending contents (loading saved state, undoing a failed change). */
  replace(
    staged: Iterable<[string, Entry | null]>,
    work: Iterable<[string, Entry | null]>,
    blobs?: Map<string, Buffer>,
  ): void {
    this.staged.clear();
    this.work.clear();
    for (const [p, e] of staged) this.staged.set(p, e);
    for (const [p, e] of work) this.work.set(p, e);
    if (blobs) {
      this.blobs.clear();
      for (const [k, v] of blobs) this.blobs.set(k, v);
    }
    this.rebase(this.head);
  }

  indexEntry(path: string): Entry | undefined {
    const s = this.staged.get(path);
    if (s !== undefined) return s ?? undefined;
    return this.head.files.get(path);
  }

  workEntry(path: string): Entry | undefined {
    const w = this.work.get(path);
    if (w !== undefined) return w ?? undefined;
    return this.indexEntry(path);
  }

  get clean(): boolean {
    return this.staged.size === 0 && this.work.size === 0;
  }

  /** Sets the work tree's entry (null deletes), keeping the overlay minimal. */
  setWork(path: string, entry: Entry | null, content?: Buffer): void {
    if (entry && content) this.blobs.set(entry.oid, content);
    this.track(path, () => {
      if (sameEntry(entry, this.indexEntry(path))) this.work.delete(path);
      else this.work.set(path, entry);
    });
    // Overwritten contents pile up between commits; drop them once they clearly outnumber the live ones.
    if (this.blobs.size > 64 + 2 * (this.staged.size + this.work.size)) this.pruneBlobs();
  }

  private setStaged(path: string, entry: Entry | null): void {
    this.track(path, () => {
      if (sameEntry(entry, this.head.files.get(path))) this.staged.delete(path);
      else this.staged.set(path, entry);
    });
  }

  /** Whether any work-tree file lies under `dir`. */
  isDirInWork(dir: string): boolean {
    if (this.addedUnder.has(dir)) return true;
    for (const [p] of this.head.filesUnder(dir)) if (this.workEntry(p)) return true;
    return false;
  }

  /** A file may not be written where a directory is, nor below a file. */
  checkWritable(path: string): void {
    for (const a of ancestors(path)) {
      if (a !== '' && this.workEntry(a)) {
        throw new GovcError('PATH_CONFLICT', `Cannot write ${path}: ${a} is a file`, { path, conflictsWith: a });
      }
    }
    if (this.isDirInWork(path)) {
      throw new GovcError('PATH_CONFLICT', `Cannot write ${path}: it is a directory`, { path });
    }
  }

  /** Work-tree files under a directory ('' = all), as a flat map. O(subtree + changed). */
  files(dir = ''): Map<string, Entry> {
    const out = new Map<string, Entry>();
    for (const [p, e] of this.head.filesUnder(dir)) out.set(p, e);
    for (const m of [this.staged, this.work]) {
      for (const [p, e] of m) {
        if (!isUnder(p, dir)) continue;
        if (e) out.set(p, e);
        else out.delete(p);
      }
    }
    return out;
  }

  /** Index files under a directory, for staging deletions of D/F conflicts. */
  private indexFilesUnder(dir: string): string[] {
    const out = new Set<string>();
    for (const [p] of this.head.filesUnder(dir)) if (this.indexEntry(p)) out.add(p);
    for (const [p, e] of this.staged) if (e && p.startsWith(dir + '/')) out.add(p);
    return [...out];
  }

  /** Changed paths (staged or not) at or under any of `paths`; all changed paths when none are given. */
  changedPaths(paths?: string[]): string[] {
    const all = new Set([...this.staged.keys(), ...this.work.keys()]);
    if (!paths || paths.length === 0) return [...all];
    return [...all].filter((p) => paths.some((q) => isUnder(p, q)));
  }

  /**
   * Copies the work tree's state of these paths into the staging area. Like git, staging a file where the
   * index still has a file at a parent path (or files below it) stages their removal too, so the index
   * never holds a path both as file and directory.
   */
  stage(paths: string[]): string[] {
    const todo = new Set(paths);
    for (const p of paths) {
      if (!this.workEntry(p)) continue;
      for (const a of ancestors(p)) if (a !== '' && this.indexEntry(a)) todo.add(a);
      for (const q of this.indexFilesUnder(p)) todo.add(q);
    }
    const done: string[] = [];
    for (const p of todo) {
      if (!this.work.has(p)) continue;
      this.track(p, () => {
        this.setStaged(p, this.work.get(p) ?? null);
        this.work.delete(p);
      });
      done.push(p);
    }
    return done;
  }

  /** Sets both the staging area and the work tree of a path to an entry (restore). */
  restorePath(path: string, entry: Entry | null): void {
    this.track(path, () => {
      this.setStaged(path, entry);
      this.work.delete(path);
      this.setWork(path, entry);
    });
  }

  /** Moves staged changes of these paths back to the work tree (the file contents stay as they are). */
  unstage(paths: string[]): string[] {
    const done: string[] = [];
    for (const p of paths) {
      if (!this.staged.has(p)) continue;
      const inWork = this.workEntry(p);
      this.track(p, () => {
        this.staged.delete(p);
        this.setWork(p, inWork ?? null);
      });
      done.push(p);
    }
    return done;
  }

  /** What a commit would write: the staged changes, or with `all` every change in the work tree. */
  changesToCommit(all: boolean): Changes {
    const changes: Changes = new Map(this.staged);
    if (all) {
      for (const [p, e] of this.work) {
        if (sameEntry(e, this.head.files.get(p))) changes.delete(p);
        else changes.set(p, e);
      }
    }
    return changes;
  }

  /** After a commit of `changes` (which `head` now contains), drops what the commit made current. */
  committed(all: boolean): void {
    this.staged.clear();
    if (all) this.work.clear();
    this.reindex();
    this.pruneBlobs();
  }

  /** Replaces HEAD (checkout, merge, reset of a branch): overlays stay, minus entries that became no-ops. */
  rebase(head: Snapshot): void {
    this.head = head;
    for (const [p, e] of [...this.staged]) if (sameEntry(e, head.files.get(p))) this.staged.delete(p);
    for (const [p, e] of [...this.work]) if (sameEntry(e, this.indexEntry(p))) this.work.delete(p);
    this.reindex();
    this.pruneBlobs();
  }

  /** Keeps only contents that an overlay still refers to. */
  pruneBlobs(): void {
    const used = new Set<string>();
    for (const m of [this.staged, this.work]) for (const e of m.values()) if (e) used.add(e.oid);
    for (const oid of [...this.blobs.keys()]) if (!used.has(oid)) this.blobs.delete(oid);
  }

  status(): FileStatus[] {
    const out: FileStatus[] = [];
    for (const p of new Set([...this.staged.keys(), ...this.work.keys()])) {
      const h = this.head.files.get(p);
      const i = this.indexEntry(p);
      const w = this.workEntry(p);
      const staged: StagedState | null = sameEntry(h, i) ? null : !h ? 'added' : !i ? 'deleted' : 'modified';
      const unstaged: UnstagedState | null = sameEntry(i, w) ? null : !i ? 'new' : !w ? 'deleted' : 'modified';
      if (staged || unstaged) out.push({ path: p, staged, unstaged });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
