/**
 * Branches, checkout, merge and tags. Switching HEAD (checkout, fast-forward, merge) carries local changes
 * over as git does, and refuses (DIRTY_WORKTREE) when the new tree differs from HEAD's at a path that has
 * local changes, instead of overwriting them.
 */
import { GovcError } from '../../../src-shared/errors';
import { diffTrees } from './diff';
import { toIdentity, type AuthorInput } from './identity';
import { person, type PersonInfo } from './inspect';
import { mergeTrees, type Conflict } from './merge';
import { decodeTag, encodeCommit, encodeTag, normalizeMessage, type Entry } from './objects';
import { HEADS, TAGS } from './refs';
import type { Repo } from './repo';
import type { Snapshot } from './snapshot';
import { ancestors, checkRefName } from './validate';
import { sameEntry } from './worktree';

export interface BranchInfo {
  name: string;
  hash: string;
  current: boolean;
  ahead: number;
  behind: number;
}

export interface Actor {
  id: string;
  name: string;
}

async function branchInfo(repo: Repo, name: string, hash: string): Promise<BranchInfo> {
  const head = repo.refs.headOid();
  const { ahead, behind } = head ? await repo.history.aheadBehind(hash, head) : { ahead: 0, behind: 0 };
  return { name, hash, current: repo.branch === name, ahead, behind };
}

export async function listBranches(
  repo: Repo,
): Promise<{ branches: BranchInfo[]; current: string | null; count: number }> {
  const branches: BranchInfo[] = [];
  for (const [ref, hash] of repo.refs.list(HEADS)) branches.push(await branchInfo(repo, ref.slice(HEADS.length), hash));
  branches.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { branches, current: repo.branch, count: branches.length };
}

function branchOid(repo: Repo, name: string): string {
  const oid = repo.refs.get(HEADS + name);
  if (!oid) throw new GovcError('BRANCH_NOT_FOUND', `There is no branch ${name}`, { branch: name });
  return oid;
}

async function createRef(repo: Repo, name: string, from: string | undefined): Promise<string> {
  checkRefName(name, 'branch name');
  if (repo.refs.has(HEADS + name))
    throw new GovcError('BRANCH_EXISTS', `Branch ${name} already exists`, { branch: name });
  repo.refs.checkNoDirConflict(HEADS + name);
  if (from === undefined && !repo.refs.headOid()) {
    throw new GovcError('NO_COMMITS', 'The repository has no commits yet: commit before branching', { branch: name });
  }
  const oid = await repo.history.resolve(from ?? 'HEAD');
  repo.refs.set(HEADS + name, oid);
  return oid;
}

export function createBranch(
  repo: Repo,
  name: string,
  from: string | undefined,
  checkout: boolean,
  actor: Actor,
): Promise<BranchInfo> {
  return repo.exclusive(async () => {
    const oid = await createRef(repo, name, from);
    repo.emit('repo.branch.created', { name, hash: oid }, actor.id);
    if (checkout) await switchTo(repo, name, actor);
    return branchInfo(repo, name, oid);
  });
}

export function deleteBranch(
  repo: Repo,
  name: string,
  force: boolean,
  actor: Actor,
): Promise<{ name: string; hash: string }> {
  return repo.exclusive(async () => {
    const oid = branchOid(repo, name);
    if (repo.branch === name) {
      throw new GovcError('BRANCH_CHECKED_OUT', `Branch ${name} is checked out; switch to another branch first`, {
        branch: name,
      });
    }
    const head = repo.refs.headOid();
    if (!force && head && !(await repo.history.isAncestor(oid, head))) {
      throw new GovcError('BRANCH_NOT_MERGED', `Branch ${name} is not merged into HEAD; use force to delete it`, {
        branch: name,
      });
    }
    repo.refs.delete(HEADS + name);
    repo.emit('repo.branch.deleted', { name, hash: oid }, actor.id);
    return { name, hash: oid };
  });
}

/** Paths with local changes that a move of HEAD from `from` to `to` would overwrite. */
function blockedPaths(repo: Repo, from: Snapshot, to: Snapshot): string[] {
  const blocked: string[] = [];
  for (const p of repo.wt.changedPaths()) {
    const here = repo.wt.workEntry(p);
    if (!sameEntry(from.files.get(p), to.files.get(p))) blocked.push(p);
    else if (here && (to.isDir(p) || ancestors(p).some((a) => a !== '' && to.files.has(a)))) blocked.push(p);
  }
  return blocked.sort();
}

/** Moves HEAD's snapshot to `target`, keeping local changes; throws before changing anything if blocked. */
function checkMovable(repo: Repo, target: Snapshot, what: string): void {
  const blocked = blockedPaths(repo, repo.wt.head, target);
  if (blocked.length > 0) {
    throw new GovcError('DIRTY_WORKTREE', `${what} would overwrite local changes to ${blocked.join(', ')}`, {
      paths: blocked,
    });
  }
}

async function switchTo(repo: Repo, name: string, actor: Actor): Promise<{ branch: string; head: string | null }> {
  const oid = branchOid(repo, name);
  const target = await repo.snapshotOf(oid);
  checkMovable(repo, target, `Switching to ${name}`);
  repo.refs.setHead({ symbolic: HEADS + name });
  repo.adoptHead(target);
  repo.changed();
  repo.emit('repo.checkout', { branch: name, head: oid }, actor.id);
  return { branch: name, head: oid };
}

export function checkout(
  repo: Repo,
  opts: { branch: string; create: boolean; from?: string },
  actor: Actor,
): Promise<{ branch: string; head: string | null }> {
  return repo.exclusive(async () => {
    if (opts.create) {
      const oid = await createRef(repo, opts.branch, opts.from);
      repo.emit('repo.branch.created', { name: opts.branch, hash: oid }, actor.id);
    } else if (!repo.refs.has(HEADS + opts.branch)) {
      checkRefName(opts.branch, 'branch name');
      throw new GovcError('BRANCH_NOT_FOUND', `There is no branch ${opts.branch}`, { branch: opts.branch });
    }
    return switchTo(repo, opts.branch, actor);
  });
}

export function merge(
  repo: Repo,
  opts: { ref: string; message?: string; author?: AuthorInput; noFf: boolean },
  actor: Actor,
): Promise<{ status: 'up-to-date' | 'fast-forward' | 'merged'; hash: string; base: string | null; changed: string[] }> {
  return repo.exclusive(async () => {
    const theirs = await repo.history.resolve(opts.ref);
    const ours = repo.refs.headOid();
    const done = <S extends 'up-to-date' | 'fast-forward' | 'merged'>(
      status: S,
      hash: string,
      base: string | null,
      changed: string[],
    ) => {
      repo.emit('repo.merge', { ref: opts.ref, status, hash, branch: repo.branch }, actor.id);
      return { status, hash, base, changed };
    };
    if (ours && (await repo.history.isAncestor(theirs, ours))) return done('up-to-date', ours, theirs, []);
    const target = await repo.snapshotOf(theirs);
    if (!ours || (!opts.noFf && (await repo.history.isAncestor(ours, theirs)))) {
      checkMovable(repo, target, 'The fast-forward');
      const changed = (await diffTrees(repo.store, ours ? repo.wt.head.root : undefined, target.root)).map(
        (c) => c.path,
      );
      repo.refs.advanceHead(theirs);
      repo.adoptHead(target);
      repo.changed();
      return done('fast-forward', theirs, ours ?? null, changed);
    }
    const base = await repo.history.mergeBase(ours, theirs);
    const baseSnap = base ? await repo.snapshotOf(base) : undefined;
    const theirChanges = (await diffTrees(repo.store, baseSnap?.root, target.root)).map((c) => c.path);
    const result = await mergeTrees({
      base: baseSnap?.files ?? new Map<string, Entry>(),
      ours: repo.wt.head.files,
      theirs: target.files,
      theirChanges,
      read: (oid) => repo.blob(oid),
      write: (bytes) => repo.store.put('blob', bytes),
    });
    if (result.conflicts.length > 0) throw conflictError(opts.ref, result.conflicts);
    const blocked = repo.wt.changedPaths().filter((p) => result.changes.has(p));
    if (blocked.length > 0) {
      throw new GovcError('DIRTY_WORKTREE', `The merge would overwrite local changes to ${blocked.join(', ')}`, {
        paths: blocked.sort(),
      });
    }
    const plan = repo.wt.head.plan(repo.store, result.changes);
    const who = toIdentity(opts.author ?? { name: actor.name, email: `${actor.id}@govc.local` });
    const label = repo.refs.has(HEADS + opts.ref) ? `branch '${opts.ref}'` : `commit '${opts.ref}'`;
    const commit = {
      tree: plan.root,
      parents: [ours, theirs],
      author: who,
      committer: who,
      message: normalizeMessage(opts.message ?? `Merge ${label}`),
      extra: [],
    };
    const oid = repo.store.put('commit', encodeCommit(commit));
    repo.store.flush();
    repo.refs.advanceHead(oid);
    repo.wt.head.apply(plan, result.changes);
    repo.wt.rebase(repo.wt.head);
    repo.history.remember(oid, commit);
    repo.changed();
    const changed = [...result.changes.keys()].sort();
    repo.emit('repo.commit', { hash: oid, branch: repo.branch, changed, message: commit.message }, actor.id);
    return done('merged', oid, base ?? null, changed);
  });
}

function conflictError(ref: string, conflicts: Conflict[]): GovcError {
  const paths = conflicts.map((c) => c.path);
  return new GovcError('MERGE_CONFLICT', `Merging ${ref} conflicts in ${paths.join(', ')}; nothing was changed`, {
    conflicts,
    paths,
  });
}

// --- tags --------------------------------------------------------------------------------------------------

export interface TagInfo {
  name: string;
  hash: string;
  annotated: boolean;
  object: string | null;
  message: string | null;
  tagger: PersonInfo | null;
}

async function tagInfo(repo: Repo, name: string, oid: string): Promise<TagInfo> {
  const obj = repo.store.get(oid) ?? (await repo.store.read(oid));
  if (obj.type !== 'tag') return { name, hash: oid, annotated: false, object: null, message: null, tagger: null };
  const t = decodeTag(obj.bytes);
  const peeled = await repo.history.peel(oid);
  return {
    name,
    hash: peeled.oid,
    annotated: true,
    object: oid,
    message: t.message,
    tagger: t.tagger ? person(t.tagger) : null,
  };
}

export async function listTags(repo: Repo): Promise<{ tags: TagInfo[]; count: number }> {
  const tags: TagInfo[] = [];
  for (const [ref, oid] of repo.refs.list(TAGS)) tags.push(await tagInfo(repo, ref.slice(TAGS.length), oid));
  tags.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { tags, count: tags.length };
}

export function createTag(
  repo: Repo,
  opts: { name: string; ref?: string; message?: string; tagger?: AuthorInput; force: boolean },
  actor: Actor,
): Promise<TagInfo> {
  return repo.exclusive(async () => {
    checkRefName(opts.name, 'tag name');
    const ref = TAGS + opts.name;
    if (repo.refs.has(ref) && !opts.force)
      throw new GovcError('TAG_EXISTS', `Tag ${opts.name} already exists`, { tag: opts.name });
    if (!repo.refs.has(ref)) repo.refs.checkNoDirConflict(ref);
    const target = await repo.history.resolve(opts.ref ?? 'HEAD');
    let oid = target;
    if (opts.message !== undefined) {
      const tagger = toIdentity(opts.tagger ?? { name: actor.name, email: `${actor.id}@govc.local` }, 'tagger');
      oid = repo.store.put(
        'tag',
        encodeTag({ object: target, type: 'commit', tag: opts.name, tagger, message: normalizeMessage(opts.message) }),
      );
      repo.store.flush();
    }
    repo.refs.set(ref, oid);
    return tagInfo(repo, opts.name, oid);
  });
}

export function deleteTag(repo: Repo, name: string): Promise<{ name: string }> {
  return repo.exclusive(() => {
    if (!repo.refs.has(TAGS + name)) throw new GovcError('TAG_NOT_FOUND', `There is no tag ${name}`, { tag: name });
    repo.refs.delete(TAGS + name);
    return { name };
  });
}
