/**
 * Bringing repositories in: import (all branches and tags as they are) and clone (the source's branches
 * as origin/*, one local branch for its HEAD, as `git clone` does). Every reachable object is copied
 * into memory and checked against its oid, so the new repository never depends on the source folder.
 */
import { isAbsolute } from 'node:path';
import { GovcError } from '../../../src-shared/errors';
import { decodeCommit, decodeTag, decodeTree, hashObject, type GitObject } from './objects';
import { HEADS, RefTable, TAGS, type Head } from './refs';
import { Repo, type RepoEmitter } from './repo';
import { Snapshot } from './snapshot';
import { ObjectStore } from './store';
import { DiskGitDir, findGitDir } from './store-disk';

/** Walks every object reachable from `roots`, handing each (verified) to `sink`; returns the count. */
export async function copyReachable(
  read: (oid: string) => Promise<GitObject | undefined>,
  roots: Iterable<string>,
  sink: (oid: string, obj: GitObject) => void,
): Promise<number> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    const obj = await read(oid);
    if (!obj)
      throw new GovcError('IMPORT_FAILED', `Object ${oid} is missing (a shallow or damaged repository?)`, { oid });
    if (hashObject(obj.type, obj.bytes) !== oid) {
      throw new GovcError('IMPORT_FAILED', `Object ${oid} is corrupt: its content does not hash to its id`, { oid });
    }
    sink(oid, obj);
    if (obj.type === 'commit') {
      const c = decodeCommit(obj.bytes);
      stack.push(c.tree, ...c.parents);
    } else if (obj.type === 'tree') {
      // Submodule entries (160000) name commits of another repository: not ours to copy.
      for (const e of decodeTree(obj.bytes)) if (e.mode !== '160000' && !seen.has(e.oid)) stack.push(e.oid);
    } else if (obj.type === 'tag') stack.push(decodeTag(obj.bytes).object);
  }
  return seen.size;
}

function openSource(path: string): DiskGitDir {
  if (!isAbsolute(path)) throw new GovcError('INVALID_PATH', `The source must be an absolute path: ${path}`, { path });
  return new DiskGitDir(findGitDir(path));
}

export interface Imported {
  repo: Repo;
  objects: number;
}

async function build(
  id: string,
  head: Head,
  refs: Map<string, string>,
  src: DiskGitDir,
  emit: RepoEmitter,
): Promise<Imported> {
  const store = new ObjectStore();
  const roots = [...refs.values()];
  if ('detached' in head) roots.push(head.detached);
  const objects = await copyReachable(
    (oid) => src.read(oid),
    roots,
    (oid, obj) => store.putKnown(oid, obj),
  );
  const table = new RefTable(head, refs);
  const repo = new Repo({ id, store, refs: table, head: Snapshot.empty(), emit });
  const headOid = table.headOid();
  if (headOid) repo.adoptHead(await Snapshot.load(store, (await repo.history.commit(headOid)).tree));
  return { repo, objects };
}

/** Branches and tags as they are, HEAD as it is. Other refs (remotes, notes, stash) stay behind. */
export async function importRepo(id: string, path: string, emit: RepoEmitter): Promise<Imported> {
  const src = openSource(path);
  const refs = new Map([...src.readRefs()].filter(([name]) => name.startsWith(HEADS) || name.startsWith(TAGS)));
  return build(id, src.readHead(), refs, src, emit);
}

/** As `git clone`: the source's branches become origin/*, its HEAD's branch the one local branch. */
export async function cloneRepo(id: string, path: string, emit: RepoEmitter): Promise<Imported> {
  const src = openSource(path);
  const head = src.readHead();
  const refs = new Map<string, string>();
  for (const [name, oid] of src.readRefs()) {
    if (name.startsWith(HEADS)) refs.set(`refs/remotes/origin/${name.slice(HEADS.length)}`, oid);
    else if (name.startsWith(TAGS)) refs.set(name, oid);
  }
  if ('symbolic' in head) {
    const oid = src.readRefs().get(head.symbolic);
    if (oid) refs.set(head.symbolic, oid);
  }
  return build(id, head, refs, src, emit);
}

/** The config lines that record where a clone came from. */
export function originConfig(path: string, branch: string | undefined): string {
  const q = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  let text = `[remote "origin"]\n\turl = "${q(path)}"\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`;
  if (branch) text += `[branch "${q(branch)}"]\n\tremote = origin\n\tmerge = refs/heads/${branch}\n`;
  return text;
}
