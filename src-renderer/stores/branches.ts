import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, errorCodeOf, pathsOf, type BranchSummary, type EngineLink } from '../bridge';

/** What the last merge did, shown until the next one: conflicts are listed by path. */
export type MergeOutcome =
  | { kind: 'merged'; ref: string; status: 'up-to-date' | 'fast-forward' | 'merged'; changed: number }
  | { kind: 'conflict'; ref: string; paths: string[] }
  | { kind: 'failed'; ref: string; problem: string };

export interface BranchesState {
  repo: string | null;
  branches: readonly BranchSummary[];
  /** The checked-out branch; null when HEAD is detached or nothing is loaded. */
  current: string | null;
  lastMerge: MergeOutcome | undefined;
  problem: string | undefined;
  load(repo: string | null): Promise<void>;
  checkout(name: string): Promise<boolean>;
  create(name: string, options?: { checkout?: boolean }): Promise<boolean>;
  remove(name: string, force?: boolean): Promise<boolean>;
  merge(ref: string): Promise<MergeOutcome>;
  clearProblem(): void;
}

export type BranchesStore = StoreApi<BranchesState>;

export function createBranchesStore(link: EngineLink): BranchesStore {
  return createStore<BranchesState>()((set, get) => {
    /** Runs a write against the loaded repository, reloads the list, and says what failed. */
    const change = async (what: string, run: (repo: string) => Promise<unknown>): Promise<boolean> => {
      const { repo } = get();
      if (!repo) return false;
      try {
        await run(repo);
        set({ problem: undefined });
        return true;
      } catch (err) {
        const paths = pathsOf(err);
        const where = paths.length > 0 ? ` (${paths.join(', ')})` : '';
        set({ problem: `Could not ${what}: ${describeFailure(err)}${where}` });
        return false;
      } finally {
        await get().load(repo);
      }
    };

    return {
      repo: null,
      branches: [],
      current: null,
      lastMerge: undefined,
      problem: undefined,

      async load(repo) {
        if (repo !== get().repo) set({ repo, branches: [], current: null, lastMerge: undefined, problem: undefined });
        if (!repo) return;
        try {
          const { branches, current } = await link.invoke('repos.branches.list', { repo });
          // A slower answer for a repository the user has left must not overwrite the new one's.
          if (get().repo === repo) set({ branches, current });
        } catch (err) {
          if (get().repo === repo) set({ problem: `Could not list branches: ${describeFailure(err)}` });
        }
      },

      checkout: (name) => change(`switch to ${name}`, (repo) => link.invoke('repos.checkout', { repo, branch: name })),

      create: (name, options) =>
        change(`create branch ${name}`, (repo) =>
          link.invoke('repos.branches.create', { repo, name, checkout: options?.checkout ?? true }),
        ),

      remove: (name, force = false) =>
        change(`delete branch ${name}`, (repo) => link.invoke('repos.branches.delete', { repo, name, force })),

      async merge(ref) {
        const { repo } = get();
        let outcome: MergeOutcome;
        if (!repo) return { kind: 'failed', ref, problem: 'No repository is open' };
        try {
          const result = await link.invoke('repos.merge', { repo, ref });
          outcome = { kind: 'merged', ref, status: result.status, changed: result.changed.length };
        } catch (err) {
          outcome =
            errorCodeOf(err) === 'MERGE_CONFLICT'
              ? { kind: 'conflict', ref, paths: pathsOf(err) }
              : { kind: 'failed', ref, problem: describeFailure(err) };
        }
        set({ lastMerge: outcome });
        await get().load(repo);
        return outcome;
      },

      clearProblem: () => set({ problem: undefined, lastMerge: undefined }),
    };
  });
}
