/**
 * What the workspace views need from the repository part of the contract: the shapes they show, and the
 * details some engine errors carry (merge conflicts, the paths a checkout would overwrite).
 */
import type { RequestOutput } from '../../src-shared/contract';
import { GovcError } from '../../src-shared/errors';

export type RepoSummary = RequestOutput<'repos.list'>['repos'][number];
export type RepoStatus = RequestOutput<'repos.status'>;
export type FileChange = RepoStatus['files'][number];
export type TreeEntry = RequestOutput<'repos.tree'>['entries'][number];
export type BranchSummary = RequestOutput<'repos.branches.list'>['branches'][number];
export type CommitSummary = RequestOutput<'repos.log'>['commits'][number];
export type CommitDetail = RequestOutput<'repos.show'>;
export type FileDiffSummary = CommitDetail['files'][number];
export type MergeResult = RequestOutput<'repos.merge'>;

/** The engine's error code (REPO_EXISTS, MERGE_CONFLICT…), or undefined for a failure that is not the engine's. */
export function errorCodeOf(err: unknown): string | undefined {
  return err instanceof GovcError ? err.code : undefined;
}

/**
 * The paths an error names: MERGE_CONFLICT lists its conflicts, DIRTY_WORKTREE the local changes a checkout
 * would overwrite. Read defensively: details cross the wire as plain JSON.
 */
export function pathsOf(err: unknown): string[] {
  if (!(err instanceof GovcError) || !err.details) return [];
  const { conflicts, paths } = err.details as { conflicts?: unknown; paths?: unknown };
  if (Array.isArray(conflicts)) {
    const found = conflicts
      .map((c: unknown) => (typeof c === 'object' && c !== null ? (c as { path?: unknown }).path : c))
      .filter((p): p is string => typeof p === 'string');
    if (found.length > 0) return found;
  }
  return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
}
