/**
 * Read-only views of a repository: the log (paged, optionally per path), one commit with its changes,
 * diffs (revision to revision, HEAD to staging area, revision to work tree) and tree listings.
 */
import { GovcError } from '../../../src-shared/errors';
import { changeOf, diffTrees, fileDiff, lineCounts, type FileChange, type FileDiff } from './diff';
import { identityTime } from './identity';
import type { Commit, Entry, FileMode, Identity, TreeMode } from './objects';
import type { Repo } from './repo';
import { checkDirPath, isUnder } from './validate';

export interface PersonInfo {
  name: string;
  email: string;
  time: string;
  timezone: string;
}

export interface CommitInfo {
  hash: string;
  message: string;
  author: PersonInfo;
  committer: PersonInfo;
  time: string;
  parents: string[];
  tree: string;
}

export interface FileDiffInfo {
  path: string;
  status: FileChange['status'];
  oldMode: FileMode | null;
  newMode: FileMode | null;
  oldOid: string | null;
  newOid: string | null;
  binary: boolean;
  additions: number;
  deletions: number;
  hunks: FileDiff['hunks'];
}

export function person(who: Identity): PersonInfo {
  return { name: who.name, email: who.email, time: identityTime(who), timezone: who.tz };
}

export function commitInfo(hash: string, c: Commit): CommitInfo {
  return {
    hash,
    message: c.message,
    author: person(c.author),
    committer: person(c.committer),
    time: identityTime(c.committer),
    parents: c.parents,
    tree: c.tree,
  };
}

export async function log(
  repo: Repo,
  opts: { ref?: string; path?: string; limit: number; skip: number },
): Promise<{ commits: CommitInfo[]; count: number; more: boolean }> {
  const start = opts.ref !== undefined ? await repo.history.resolve(opts.ref) : repo.refs.headOid();
  if (!start) return { commits: [], count: 0, more: false };
  const path = opts.path === undefined ? '' : checkDirPath(opts.path);
  const commits: CommitInfo[] = [];
  let skipped = 0;
  let more = false;
  for await (const [oid, c] of repo.history.walk([start])) {
    if (path !== '' && !(await touches(repo, c, path))) continue;
    if (skipped < opts.skip) {
      skipped++;
      continue;
    }
    if (commits.length === opts.limit) {
      more = true;
      break;
    }
    commits.push(commitInfo(oid, c));
  }
  return { commits, count: commits.length, more };
}

/** Whether a commit changed a path: it differs from every parent (git's default history simplification). */
async function touches(repo: Repo, c: Commit, path: string): Promise<boolean> {
  const mine = await repo.history.entryAt(c.tree, path);
  if (c.parents.length === 0) return mine !== undefined;
  for (const p of c.parents) {
    const theirs = await repo.history.entryAt((await repo.history.commit(p)).tree, path);
    if (mine?.oid === theirs?.oid && mine?.mode === theirs?.mode) return false;
  }
  return true;
}

function diffInfo(d: FileDiff): FileDiffInfo {
  return {
    path: d.path,
    status: d.status,
    oldMode: d.old?.mode ?? null,
    newMode: d.new?.mode ?? null,
    oldOid: d.old?.oid ?? null,
    newOid: d.new?.oid ?? null,
    binary: d.binary,
    additions: d.additions,
    deletions: d.deletions,
    hunks: d.hunks,
  };
}

async function contents(repo: Repo, e: Entry | undefined): Promise<Buffer | undefined> {
  if (!e) return undefined;
  if (e.mode === '160000') return Buffer.from(`Subproject commit ${e.oid}\n`);
  return repo.blob(e.oid);
}

async function render(
  repo: Repo,
  changes: FileChange[],
  context: number,
  withPatch = true,
): Promise<{ files: FileDiffInfo[]; additions: number; deletions: number; patch: string }> {
  const files: FileDiffInfo[] = [];
  let additions = 0;
  let deletions = 0;
  let patch = '';
  for (const ch of changes) {
    const [a, b] = [await contents(repo, ch.old), await contents(repo, ch.new)];
    let d: FileDiff;
    if (withPatch) d = fileDiff(ch, a, b, context);
    else d = { ...ch, ...lineCounts(a, b), hunks: [], patch: '' };
    files.push(diffInfo(d));
    additions += d.additions;
    deletions += d.deletions;
    patch += d.patch;
  }
  return { files, additions, deletions, patch };
}

export async function show(repo: Repo, rev: string, withPatch: boolean) {
  const oid = await repo.history.resolve(rev);
  const c = await repo.history.commit(oid);
  const parentTree = c.parents[0] ? (await repo.history.commit(c.parents[0])).tree : undefined;
  const changes = await diffTrees(repo.store, parentTree, c.tree);
  return { ...commitInfo(oid, c), ...(await render(repo, changes, 3, withPatch)) };
}

export async function diff(
  repo: Repo,
  opts: { from?: string; to?: string; staged: boolean; path?: string; context: number },
) {
  const dir = opts.path === undefined ? '' : checkDirPath(opts.path);
  let changes: FileChange[];
  const fromHead = opts.from === undefined || opts.from === 'HEAD';
  if (opts.to !== undefined) {
    const a = await repo.history.resolve(opts.from ?? 'HEAD');
    const b = await repo.history.resolve(opts.to);
    const [ta, tb] = [(await repo.history.commit(a)).tree, (await repo.history.commit(b)).tree];
    changes = await diffTrees(repo.store, ta, tb);
  } else {
    const view = (p: string): Entry | undefined => (opts.staged ? repo.wt.indexEntry(p) : repo.wt.workEntry(p));
    changes = [];
    if (fromHead) {
      // Against HEAD only the overlays can differ: O(changed).
      for (const p of repo.wt.changedPaths()) {
        const ch = changeOf(p, repo.wt.head.files.get(p), view(p));
        if (ch) changes.push(ch);
      }
    } else {
      const base = await repo.snapshotOf(await repo.history.resolve(opts.from!));
      const current = opts.staged ? new Map(repo.wt.head.files) : repo.wt.files();
      if (opts.staged) {
        for (const [p, e] of repo.wt.staged) {
          if (e) current.set(p, e);
          else current.delete(p);
        }
      }
      for (const p of new Set([...base.files.keys(), ...current.keys()])) {
        const ch = changeOf(p, base.files.get(p), current.get(p));
        if (ch) changes.push(ch);
      }
    }
    changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  }
  if (dir !== '') changes = changes.filter((c) => isUnder(c.path, dir));
  return render(repo, changes, opts.context);
}

export interface TreeItem {
  path: string;
  name: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  oid?: string;
}

function item(path: string, mode: TreeMode, oid?: string): TreeItem {
  const type = mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
  return { path, name: path.slice(path.lastIndexOf('/') + 1), type, mode, ...(oid ? { oid } : {}) };
}

export async function tree(
  repo: Repo,
  opts: { ref?: string; path?: string; recursive: boolean },
): Promise<{ entries: TreeItem[]; count: number }> {
  const dir = checkDirPath(opts.path);
  const join = (name: string): string => (dir === '' ? name : `${dir}/${name}`);
  let entries: TreeItem[];
  const missing = (): never => {
    throw new GovcError('FILE_NOT_FOUND', `${dir} does not exist${opts.ref ? ` at ${opts.ref}` : ''}`, { path: dir });
  };
  if (opts.ref !== undefined) {
    const snap = await repo.snapshotOf(await repo.history.resolve(opts.ref));
    const file = snap.files.get(dir);
    if (file) entries = [item(dir, file.mode, file.oid)];
    else if (!snap.isDir(dir)) return missing();
    else if (opts.recursive) entries = [...snap.filesUnder(dir)].map(([p, e]) => item(p, e.mode, e.oid));
    else entries = snap.list(dir)!.map((e) => item(join(e.name), e.mode, e.oid));
  } else {
    const file = dir === '' ? undefined : repo.wt.workEntry(dir);
    const files = file ? new Map([[dir, file]]) : repo.wt.files(dir);
    if (files.size === 0 && dir !== '') return missing();
    if (opts.recursive || file) entries = [...files].map(([p, e]) => item(p, e.mode, e.oid));
    else {
      const byName = new Map<string, TreeItem>();
      const offset = dir === '' ? 0 : dir.length + 1;
      for (const [p, e] of files) {
        const slash = p.indexOf('/', offset);
        if (slash < 0) byName.set(p, item(p, e.mode, e.oid));
        else {
          const sub = p.slice(0, slash);
          if (!byName.has(sub)) {
            const unchanged = repo.wt.head.dirs.has(sub) && repo.wt.changedPaths([sub]).length === 0;
            const headTree = unchanged ? repo.wt.head.list(dir)?.find((x) => join(x.name) === sub) : undefined;
            byName.set(sub, item(sub, '40000', headTree?.oid));
          }
        }
      }
      entries = [...byName.values()];
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, count: entries.length };
}
