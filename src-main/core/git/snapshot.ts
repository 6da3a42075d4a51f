/**
 * A commit's tree held flat and by directory: `files` answers "what is at this path" in O(1), `dirs` keeps
 * every directory's children with their oids, so a commit re-encodes only the trees along changed paths
 * (O(changed × depth)), never the whole tree.
 */
import { GovcError } from '../../../src-shared/errors';
import { EMPTY_TREE_OID, decodeTree, encodeTree, type Entry, type FileMode, type TreeEntry } from './objects';
import type { ObjectStore } from './store';
import { baseName, parentDir } from './validate';

interface Child {
  oid: string;
  mode: TreeEntry['mode'];
}

type Dir = Map<string, Child>;

/** Changes to apply: an entry to write, or null to delete. */
export type Changes = Map<string, Entry | null>;

export interface CommitPlan {
  root: string;
  dirs: Map<string, Dir>;
  removed: Set<string>;
}

function depth(dir: string): number {
  if (dir === '') return 0;
  let n = 1;
  for (let i = 0; i < dir.length; i++) if (dir.charCodeAt(i) === 47) n++;
  return n;
}

export class Snapshot {
  constructor(
    public root: string,
    readonly files: Map<string, Entry>,
    readonly dirs: Map<string, Dir>,
  ) {}

  static empty(): Snapshot {
    return new Snapshot(EMPTY_TREE_OID, new Map(), new Map([['', new Map()]]));
  }

  /** Reads a tree and all its subtrees. */
  static async load(store: ObjectStore, root: string): Promise<Snapshot> {
    const files = new Map<string, Entry>();
    const dirs = new Map<string, Dir>();
    const queue: Array<[string, string]> = [['', root]];
    while (queue.length > 0) {
      const [dir, oid] = queue.pop()!;
      const obj = store.get(oid) ?? (await store.read(oid));
      if (obj.type !== 'tree') throw new GovcError('CORRUPT_OBJECT', `${oid} is a ${obj.type}, not a tree`);
      const children: Dir = new Map();
      for (const e of decodeTree(obj.bytes)) {
        children.set(e.name, { oid: e.oid, mode: e.mode });
        const path = dir === '' ? e.name : `${dir}/${e.name}`;
        if (e.mode === '40000') queue.push([path, e.oid]);
        else files.set(path, { oid: e.oid, mode: e.mode as FileMode });
      }
      dirs.set(dir, children);
    }
    return new Snapshot(root, files, dirs);
  }

  /** Writes a snapshot for a whole flat file map (merge results, imports): every tree is new. */
  static build(store: ObjectStore, files: Map<string, Entry>): Snapshot {
    const snap = Snapshot.empty();
    const changes: Changes = new Map(files);
    snap.apply(snap.plan(store, changes), changes);
    return snap;
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }

  /**
   * Encodes the trees along the changed paths (adding them to the store) without touching this snapshot;
   * `apply` then installs the result. Directories left empty disappear, as git has no empty trees.
   */
  plan(store: ObjectStore, changes: Changes): CommitPlan {
    const dirty = new Map<string, Dir>();
    const open = (dir: string): Dir => {
      let d = dirty.get(dir);
      if (!d) {
        d = new Map(this.dirs.get(dir));
        dirty.set(dir, d);
      }
      return d;
    };
    for (const [path, entry] of changes) {
      const dir = parentDir(path);
      const children = open(dir);
      const name = baseName(path);
      if (entry) children.set(name, { oid: entry.oid, mode: entry.mode });
      else if (children.get(name)?.mode !== '40000') children.delete(name);
      for (let p = dir; p !== '';) {
        p = parentDir(p);
        if (dirty.has(p)) break;
        open(p);
      }
    }
    const order = [...dirty.keys()].sort((a, b) => depth(b) - depth(a));
    const removed = new Set<string>();
    let root = this.root;
    for (const dir of order) {
      const children = dirty.get(dir)!;
      if (dir !== '' && children.size === 0) {
        const parent = dirty.get(parentDir(dir))!;
        if (parent.get(baseName(dir))?.mode === '40000') parent.delete(baseName(dir));
        removed.add(dir);
        continue;
      }
      const entries: TreeEntry[] = [];
      for (const [name, c] of children) entries.push({ name, oid: c.oid, mode: c.mode });
      const oid = store.put('tree', encodeTree(entries));
      if (dir === '') root = oid;
      else dirty.get(parentDir(dir))!.set(baseName(dir), { oid, mode: '40000' });
    }
    for (const dir of removed) dirty.delete(dir);
    return { root, dirs: dirty, removed };
  }

  apply(plan: CommitPlan, changes: Changes): void {
    for (const [path, entry] of changes) {
      if (entry) this.files.set(path, entry);
      else this.files.delete(path);
    }
    for (const dir of plan.removed) this.dirs.delete(dir);
    for (const [dir, children] of plan.dirs) this.dirs.set(dir, children);
    this.root = plan.root;
  }

  /** Files under a directory ('' = all), read from the directory maps so the cost is the subtree's size. */
  *filesUnder(dir: string): Iterable<[string, Entry]> {
    const children = this.dirs.get(dir);
    if (!children) return;
    for (const [name, c] of children) {
      const path = dir === '' ? name : `${dir}/${name}`;
      if (c.mode === '40000') yield* this.filesUnder(path);
      else yield [path, { oid: c.oid, mode: c.mode }];
    }
  }

  /** Immediate children of a directory, as a listing. */
  list(dir: string): TreeEntry[] | undefined {
    const children = this.dirs.get(dir);
    if (!children) return undefined;
    return [...children].map(([name, c]) => ({ name, oid: c.oid, mode: c.mode }));
  }
}
