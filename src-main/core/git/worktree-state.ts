/**
 * Uncommitted work of a persisted repository, kept beside its git directory's own files:
 *   govc-worktree/state.json     the staging and work overlays (small: changed paths only)
 *   govc-worktree/blobs/<oid>    contents not yet in any commit, each written once
 * A save writes the contents it has not written before, then the manifest atomically, then removes
 * contents nothing refers to any more: the cost follows what changed since the last save, not the size
 * of all uncommitted work. Contents are checked against their oid on load; a torn save loses entries,
 * never corrupts them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hashObject, type Entry } from './objects';
import { fsyncDir, writeFileDurable } from './store-disk';
import type { WorkTree } from './worktree';

export const WORKTREE_DIR = 'govc-worktree';

interface Manifest {
  version: 2;
  staged: Array<[string, Entry | null]>;
  work: Array<[string, Entry | null]>;
}

export interface SavedState {
  staged: Array<[string, Entry | null]>;
  work: Array<[string, Entry | null]>;
  blobs: Map<string, Buffer>;
}

export class WorktreeStateFile {
  private readonly dir: string;
  private readonly blobDir: string;
  /** Contents already on disk. */
  private readonly written = new Set<string>();

  constructor(
    gitdir: string,
    private readonly tmpDir: string,
  ) {
    this.dir = join(gitdir, WORKTREE_DIR);
    this.blobDir = join(this.dir, 'blobs');
  }

  save(wt: WorkTree): void {
    mkdirSync(this.blobDir, { recursive: true });
    const referenced = new Set<string>();
    for (const m of [wt.staged, wt.work])
      for (const e of m.values()) if (e && wt.blobs.has(e.oid)) referenced.add(e.oid);
    let wrote = false;
    for (const oid of referenced) {
      if (this.written.has(oid)) continue;
      writeFileDurable(this.tmpDir, join(this.blobDir, oid), wt.blobs.get(oid)!, false);
      this.written.add(oid);
      wrote = true;
    }
    if (wrote) fsyncDir(this.blobDir);
    const manifest: Manifest = { version: 2, staged: [...wt.staged], work: [...wt.work] };
    writeFileDurable(this.tmpDir, join(this.dir, 'state.json'), JSON.stringify(manifest));
    for (const oid of [...this.written]) {
      if (referenced.has(oid)) continue;
      rmSync(join(this.blobDir, oid), { force: true });
      this.written.delete(oid);
    }
  }

  load(): SavedState | undefined {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(join(this.dir, 'state.json'), 'utf8')) as Manifest;
    } catch {
      return undefined; // none yet (or unreadable): the work tree is HEAD's
    }
    if (manifest.version !== 2) return undefined;
    const blobs = new Map<string, Buffer>();
    if (existsSync(this.blobDir)) {
      for (const oid of readdirSync(this.blobDir)) {
        const bytes = readFileSync(join(this.blobDir, oid));
        if (hashObject('blob', bytes) === oid) {
          blobs.set(oid, bytes);
          this.written.add(oid);
        }
      }
    }
    return { staged: manifest.staged, work: manifest.work, blobs };
  }
}
