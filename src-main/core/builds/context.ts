/**
 * What a build reads from its repository: the tree (a commit's, or the work tree's), the Dockerfile in it,
 * and the context folder, written out for the engine with the tree's blob ids as COPY digests.
 */
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { GovcError } from '../../../src-shared/errors';
import { listGitContext, normalizeFolder, writeGitContext, type GitTree } from '../build/context/git-source';
import { registerContextListing } from '../build/execute/sources';
import type { Repo } from '../git/repo';

export const WORKTREE = 'worktree';

export interface TreeRef {
  /** The commit, or null for the work tree. */
  commit: string | null;
}

export function treeOf(repo: Repo, at: TreeRef): Promise<GitTree> | GitTree {
  const readBlob = (oid: string) => repo.blob(oid);
  if (at.commit === null) return { files: repo.wt.files(), readBlob };
  return repo.snapshotOf(at.commit).then((snap) => ({ files: snap.files, readBlob }));
}

/** The context folder a request names, or the Dockerfile's folder; refuses paths that climb out. */
export function contextFolderOf(dockerfile: string, context: string | undefined): string {
  const folder = normalizeFolder(context ?? posix.dirname(dockerfile));
  if (folder === '..' || folder.startsWith('../')) {
    throw new GovcError('VALIDATION_FAILED', `Invalid context: ${context} is outside the repository`, {
      issues: [{ path: 'context', message: 'outside the repository' }],
    });
  }
  return folder;
}

/** Checks what a build request names exists at that tree: the Dockerfile, and files under the context. */
export function checkTree(tree: GitTree, dockerfile: string, folder: string, ref: string): void {
  const file = tree.files.get(dockerfile);
  if (!file || file.mode === '160000' || file.mode === '120000') {
    throw new GovcError('DOCKERFILE_NOT_FOUND', `There is no Dockerfile ${dockerfile} at ${ref}`, {
      path: dockerfile,
      ref,
    });
  }
  if (folder === '') return;
  const prefix = `${folder}/`;
  for (const path of tree.files.keys()) if (path.startsWith(prefix)) return;
  throw new GovcError('CONTEXT_NOT_FOUND', `The context folder ${folder} has no files at ${ref}`, {
    path: folder,
    ref,
  });
}

export interface PreparedContext {
  root: string;
  dockerfileText: string;
  dispose(): Promise<void>;
}

/** Writes the context out into a scratch folder (tmpfs when there is one) registered with its listing. */
export async function prepareContext(
  tree: GitTree,
  dockerfile: string,
  folder: string,
  ref: string,
): Promise<PreparedContext> {
  checkTree(tree, dockerfile, folder, ref);
  const dockerfileText = (await tree.readBlob(tree.files.get(dockerfile)!.oid)).toString('utf8');
  const listing = await listGitContext(tree, { folder, dockerfile });
  const base = (await access('/dev/shm', constants.W_OK).then(
    () => true,
    () => false,
  ))
    ? '/dev/shm'
    : tmpdir();
  const holder = await mkdtemp(join(base, 'govc-context-'));
  const root = join(holder, 'context');
  let unregister = (): void => undefined;
  try {
    await writeGitContext(tree, listing, root);
    unregister = registerContextListing({ root, entries: listing.entries, digests: listing.digests });
  } catch (err) {
    await rm(holder, { recursive: true, force: true });
    throw err;
  }
  return {
    root,
    dockerfileText,
    dispose: async () => {
      unregister();
      await rm(holder, { recursive: true, force: true });
    },
  };
}
