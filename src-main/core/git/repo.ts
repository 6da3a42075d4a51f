/**
 * One repository: object store, refs, the HEAD snapshot and the work-tree overlays, plus the operations
 * that change the work tree and commit. History, branches and merges live in inspect.ts and branches.ts
 * and work on the same object.
 *
 * Every mutation runs under the repository's lock and computes everything before it changes anything: a
 * failure (bad input, a conflict, a disk error) leaves the repository as it was. On a persisted repository
 * a commit returns only after its objects and then its ref are durable on disk.
 */
import type { EventData, EventType } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import { History } from './history';
import { toIdentity, type AuthorInput } from './identity';
import { encodeCommit, hashObject, isBinary, normalizeMessage, type Entry, type FileMode } from './objects';
import { RefTable } from './refs';
import { Snapshot } from './snapshot';
import { ObjectStore } from './store';
import { DiskGitDir } from './store-disk';
import { checkDirPath, checkPath, isUnder } from './validate';
import { sameEntry, WorkTree } from './worktree';
import { WorktreeStateFile } from './worktree-state';

export type RepoEmitter = <T extends EventType>(type: T, data: EventData<T>, actor: string) => void;

export interface RepoParts {
  id: string;
  store: ObjectStore;
  refs: RefTable;
  head: Snapshot;
  disk?: DiskGitDir;
  emit: RepoEmitter;
}

export class Repo {
  readonly id: string;
  readonly store: ObjectStore;
  readonly refs: RefTable;
  readonly history: History;
  readonly wt: WorkTree;
  readonly disk: DiskGitDir | undefined;
  readonly emit: RepoEmitter;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly snapshots = new Map<string, Snapshot>();
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly stateFile: WorktreeStateFile | undefined;
  private closed = false;

  constructor(parts: RepoParts) {
    this.id = parts.id;
    this.store = parts.store;
    this.refs = parts.refs;
    this.disk = parts.disk;
    this.emit = parts.emit;
    this.history = new History(this.store, this.refs);
    this.wt = new WorkTree(parts.head);
    this.stateFile = this.disk ? new WorktreeStateFile(this.disk.gitdir, this.disk.tmpDir) : undefined;
  }

  /** Opens a persisted repository: refs now, objects on demand, HEAD's tree, then saved work-tree state. */
  static async open(id: string, gitdir: string, emit: RepoEmitter): Promise<Repo> {
    const disk = new DiskGitDir(gitdir);
    disk.cleanScratch();
    const store = new ObjectStore(disk);
    const refs = new RefTable(disk.readHead(), disk.readRefs(), disk);
    const repo = new Repo({ id, store, refs, head: Snapshot.empty(), disk, emit });
    const head = refs.headOid();
    if (head) repo.wt.rebase(await Snapshot.load(store, (await repo.history.commit(head)).tree));
    await repo.loadState();
    return repo;
  }

  get persist(): boolean {
    return this.disk !== undefined;
  }

  get branch(): string | null {
    return this.refs.currentBranch() ?? null;
  }

  get head(): string | null {
    return this.refs.headOid() ?? null;
  }

  info(): { id: string; persist: boolean; head: string | null; branch: string | null; clean: boolean } {
    return { id: this.id, persist: this.persist, head: this.head, branch: this.branch, clean: this.wt.clean };
  }

  /** Runs mutations one at a time, in call order. */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new GovcError('REPO_NOT_FOUND', `Repository ${this.id} is closed`));
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The tree of a commit as a snapshot; a few are cached (diffs and merges revisit them). */
  async snapshotOf(commit: string): Promise<Snapshot> {
    const tree = (await this.history.commit(commit)).tree;
    if (tree === this.wt.head.root) return this.wt.head;
    let snap = this.snapshots.get(tree);
    if (!snap) {
      snap = await Snapshot.load(this.store, tree);
      if (this.snapshots.size >= 8) this.snapshots.delete(this.snapshots.keys().next().value!);
      this.snapshots.set(tree, snap);
    }
    return snap;
  }

  /** Makes a snapshot HEAD's: it leaves the cache, since HEAD's snapshot changes in place on commit. */
  adoptHead(snap: Snapshot): void {
    this.snapshots.delete(snap.root);
    this.wt.rebase(snap);
  }

  async blob(oid: string): Promise<Buffer> {
    const pending = this.wt.blobs.get(oid);
    if (pending) return pending;
    return (this.store.get(oid) ?? (await this.store.read(oid, 'blob'))).bytes;
  }

  // --- files -----------------------------------------------------------------------------------------------

  async readFile(path: string, ref?: string): Promise<{ path: string; entry: Entry; bytes: Buffer }> {
    checkPath(path);
    let entry: Entry | undefined;
    if (ref !== undefined) {
      const snap = await this.snapshotOf(await this.history.resolve(ref));
      entry = snap.files.get(path);
    } else entry = this.wt.workEntry(path);
    if (!entry) throw new GovcError('FILE_NOT_FOUND', `${path} does not exist${ref ? ` at ${ref}` : ''}`, { path });
    if (entry.mode === '160000') throw new GovcError('NOT_A_FILE', `${path} is a submodule`, { path });
    return { path, entry, bytes: await this.blob(entry.oid) };
  }

  /** Reads a file as text; binary content is refused rather than mangled. */
  async readText(path: string, ref?: string): Promise<{ path: string; entry: Entry; text: string; size: number }> {
    const r = await this.readFile(path, ref);
    if (isBinary(r.bytes)) {
      throw new GovcError('BINARY_FILE', `${path} is binary; read it with encoding=base64`, { path });
    }
    return { path, entry: r.entry, text: r.bytes.toString('utf8'), size: r.bytes.length };
  }

  writeFile(
    path: string,
    bytes: Buffer,
    mode?: FileMode,
    actor = 'system',
    ifMatch?: string,
  ): Promise<{ path: string; oid: string; mode: FileMode; size: number; changed: boolean }> {
    return this.exclusive(() => {
      checkPath(path);
      const current = this.wt.workEntry(path);
      if (ifMatch !== undefined && current?.oid !== ifMatch) {
        throw new GovcError(
          'STALE_WRITE',
          `${path} changed since it was read (now ${current ? current.oid.slice(0, 7) : 'deleted'}); reload it before saving`,
          { path, expected: ifMatch, current: current?.oid ?? null },
        );
      }
      if (!current) this.wt.checkWritable(path);
      const m: FileMode = mode ?? (current?.mode === '160000' ? '100644' : current?.mode) ?? '100644';
      if (m === '120000' && (bytes.length === 0 || bytes.includes(0))) {
        throw new GovcError('INVALID_CONTENT', 'A symlink target must be non-empty and contain no NUL', { path });
      }
      const oid = hashObject('blob', bytes);
      const changed = !sameEntry(current, { oid, mode: m });
      if (changed) {
        this.wt.setWork(path, { oid, mode: m }, bytes);
        this.changed([path], actor);
      }
      return { path, oid, mode: m, size: bytes.length, changed };
    });
  }

  /** Deletes a file, or every file of a directory. */
  deleteFile(path: string, actor = 'system'): Promise<{ deleted: string[] }> {
    return this.exclusive(() => {
      checkPath(path);
      const targets = this.wt.workEntry(path) ? [path] : [...this.wt.files(path).keys()].filter((p) => p !== path);
      if (targets.length === 0) throw new GovcError('FILE_NOT_FOUND', `${path} does not exist`, { path });
      for (const p of targets) this.wt.setWork(p, null);
      this.changed(targets, actor);
      return { deleted: targets.sort() };
    });
  }

  moveFile(from: string, to: string, actor = 'system'): Promise<{ moved: Array<{ from: string; to: string }> }> {
    return this.exclusive(async () => {
      checkPath(from, 'source path');
      checkPath(to, 'destination path');
      if (isUnder(to, from)) throw new GovcError('INVALID_PATH', `Cannot move ${from} into itself`, { from, to });
      const single = this.wt.workEntry(from);
      const sources = single ? new Map([[from, single]]) : this.wt.files(from);
      if (sources.size === 0) throw new GovcError('FILE_NOT_FOUND', `${from} does not exist`, { path: from });
      const moved = [...sources].map(([p, e]) => ({ from: p, to: to + p.slice(from.length), entry: e }));
      const contents = new Map<string, Buffer>();
      for (const m of moved) contents.set(m.entry.oid, await this.blob(m.entry.oid));
      this.transact(() => {
        for (const m of moved) this.wt.setWork(m.from, null);
        for (const m of moved) {
          if (this.wt.workEntry(m.to)) {
            throw new GovcError('PATH_CONFLICT', `Cannot move to ${m.to}: it exists`, { path: m.to });
          }
          this.wt.checkWritable(m.to);
          this.wt.setWork(m.to, m.entry, contents.get(m.entry.oid));
        }
      });
      this.changed(
        moved.flatMap((m) => [m.from, m.to]),
        actor,
      );
      const out = moved.map(({ from: f, to: t }) => ({ from: f, to: t }));
      return { moved: out.sort((a, b) => (a.from < b.from ? -1 : 1)) };
    });
  }

  /** Runs a multi-step change of the overlays; on failure they are put back as they were. */
  private transact(fn: () => void): void {
    const staged = new Map(this.wt.staged);
    const work = new Map(this.wt.work);
    const blobs = new Map(this.wt.blobs);
    try {
      fn();
    } catch (err) {
      this.wt.replace(staged, work, blobs);
      throw err;
    }
  }

  // --- staging ---------------------------------------------------------------------------------------------

  private pathsOrAll(paths: string[] | undefined, candidates: (ps?: string[]) => string[]): string[] {
    if (!paths || paths.length === 0) return candidates();
    const dirs = paths.map((p) => checkDirPath(p));
    for (const p of dirs) {
      const known = p === '' || this.wt.workEntry(p) || this.wt.indexEntry(p) || candidates([p]).length > 0;
      if (!known && this.wt.files(p).size === 0) {
        throw new GovcError('FILE_NOT_FOUND', `${p} matches no file`, { path: p });
      }
    }
    return candidates(dirs);
  }

  stage(paths?: string[]): Promise<{ staged: string[] }> {
    return this.exclusive(() => {
      const targets = this.pathsOrAll(paths, (ps) => this.wt.changedPaths(ps).filter((p) => this.wt.work.has(p)));
      let done: string[] = [];
      this.transact(() => {
        done = this.wt.stage(targets);
      });
      this.changed(done);
      return { staged: done.sort() };
    });
  }

  unstage(paths?: string[]): Promise<{ unstaged: string[] }> {
    return this.exclusive(() => {
      const targets = this.pathsOrAll(paths, (ps) => this.wt.changedPaths(ps).filter((p) => this.wt.staged.has(p)));
      const done = this.wt.unstage(targets);
      this.changed(done);
      return { unstaged: done.sort() };
    });
  }

  /** Puts files (index and work tree) back to their state at `source`; paths may be directories. */
  restore(paths: string[], source = 'HEAD', actor = 'system'): Promise<{ restored: string[] }> {
    return this.exclusive(async () => {
      const dirs = paths.map((p) => checkDirPath(p));
      const commit =
        this.refs.headOid() === undefined && source === 'HEAD' ? undefined : await this.history.resolve(source);
      const snap = commit ? await this.snapshotOf(commit) : Snapshot.empty();
      const targets = new Map<string, Entry | undefined>();
      for (const d of dirs) {
        const before = targets.size;
        const fromSource = snap.files.get(d);
        if (fromSource) targets.set(d, fromSource);
        else for (const [p, e] of snap.filesUnder(d)) targets.set(p, e);
        const inWork = this.wt.workEntry(d) ? [d] : [...this.wt.files(d).keys()];
        for (const p of [...inWork, ...this.wt.changedPaths([d])])
          if (!targets.has(p)) targets.set(p, snap.files.get(p));
        if (targets.size === before) throw new GovcError('FILE_NOT_FOUND', `${d} matches no file`, { path: d });
      }
      this.transact(() => {
        for (const [p, e] of targets) this.wt.restorePath(p, e ?? null);
      });
      this.changed([...targets.keys()], actor);
      return { restored: [...targets.keys()].sort() };
    });
  }

  // --- commit ----------------------------------------------------------------------------------------------

  commit(
    opts: { message: string; author?: AuthorInput; all?: boolean; allowEmpty?: boolean },
    actor: { id: string; name: string },
  ): Promise<{ hash: string; branch: string | null; changed: string[] }> {
    return this.exclusive(() => {
      if (!opts.message.trim()) throw new GovcError('EMPTY_MESSAGE', 'A commit needs a message');
      const all = opts.all ?? this.wt.staged.size === 0;
      const changes = this.wt.changesToCommit(all);
      if (changes.size === 0 && !opts.allowEmpty) {
        throw new GovcError('NOTHING_TO_COMMIT', 'Nothing to commit (pass allow_empty for an empty commit)', {
          staged: this.wt.staged.size,
          unstaged: this.wt.work.size,
        });
      }
      const author = toIdentity(opts.author ?? { name: actor.name, email: `${actor.id}@govc.local` });
      for (const e of changes.values()) {
        const bytes = e && this.wt.blobs.get(e.oid);
        if (bytes) this.store.putKnown(e!.oid, { type: 'blob', bytes });
      }
      const plan = this.wt.head.plan(this.store, changes);
      const parent = this.refs.headOid();
      const commit = {
        tree: plan.root,
        parents: parent ? [parent] : [],
        author,
        committer: author,
        message: normalizeMessage(opts.message),
        extra: [],
      };
      const oid = this.store.put('commit', encodeCommit(commit));
      // Durability order: objects, then the ref. Memory changes only after both succeeded.
      this.store.flush();
      this.refs.advanceHead(oid);
      this.wt.head.apply(plan, changes);
      this.history.remember(oid, commit);
      this.wt.committed(all);
      this.changed();
      const changed = [...changes.keys()].sort();
      this.emit('repo.commit', { hash: oid, branch: this.branch, changed, message: commit.message }, actor.id);
      return { hash: oid, branch: this.branch, changed };
    });
  }

  // --- persistence of the uncommitted state ----------------------------------------------------------------

  /**
   * After a work-tree change: listeners (the definitions index) hear which paths changed, and a persisted
   * repository saves its overlays soon (coalescing bursts).
   */
  changed(paths?: string[], actor = 'system'): void {
    if (paths !== undefined && paths.length > 0) this.emit('repo.worktree.changed', { paths }, actor);
    if (!this.disk || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      // A timer has no caller to tell: a repository deleted meanwhile (or a full disk) must not take the
      // engine down with an uncaught exception. The state is saved again at the next change and at close.
      try {
        this.saveState();
      } catch {
        // see above
      }
    }, 100);
    this.saveTimer.unref();
  }

  saveState(): void {
    if (!this.stateFile) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.stateFile.save(this.wt);
  }

  private async loadState(): Promise<void> {
    const state = this.stateFile?.load();
    if (!state) return;
    // An entry whose content is neither saved nor in the store (a torn save) is dropped, not trusted.
    const usable = new Set<string>();
    for (const [, e] of [...state.staged, ...state.work]) {
      if (!e) continue;
      if (state.blobs.has(e.oid) || e.mode === '160000' || (await this.store.tryRead(e.oid))) usable.add(e.oid);
    }
    const keep = ([, e]: [string, Entry | null]): boolean => !e || usable.has(e.oid);
    this.wt.replace(state.staged.filter(keep), state.work.filter(keep), state.blobs);
  }

  /** Saves pending state and refuses further mutations. */
  async close(): Promise<void> {
    await this.exclusive(() => this.saveState());
    this.closed = true;
  }
}
