import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, errorCodeOf, type CommitDetail, type CommitSummary, type EngineLink } from '../bridge';

/** Commits per page: enough to fill the panel, small enough to answer fast on a long history. */
export const HISTORY_PAGE = 50;

export interface HistoryState {
  repo: string | null;
  commits: readonly CommitSummary[];
  more: boolean;
  loading: boolean;
  selected: string | null;
  detail: CommitDetail | undefined;
  problem: string | undefined;
  /** Loads the first page (again); keeps the selection when the commit is still there. */
  load(repo: string | null): Promise<void>;
  loadMore(): Promise<void>;
  select(hash: string | null): Promise<void>;
}

export type HistoryStore = StoreApi<HistoryState>;

export function createHistoryStore(link: EngineLink, pageSize = HISTORY_PAGE): HistoryStore {
  return createStore<HistoryState>()((set, get) => {
    const page = async (repo: string, skip: number) => {
      try {
        return await link.invoke('repos.log', { repo, limit: pageSize, skip });
      } catch (err) {
        // An empty repository (unborn branch) simply has no history yet.
        if (['NO_COMMITS', 'REV_NOT_FOUND'].includes(errorCodeOf(err) ?? '')) return { commits: [], more: false };
        throw err;
      }
    };

    return {
      repo: null,
      commits: [],
      more: false,
      loading: false,
      selected: null,
      detail: undefined,
      problem: undefined,

      async load(repo) {
        if (repo !== get().repo) {
          set({ repo, commits: [], more: false, selected: null, detail: undefined, problem: undefined });
        }
        if (!repo) return;
        set({ loading: true });
        try {
          const { commits, more } = await page(repo, 0);
          if (get().repo !== repo) return;
          set({ commits, more, problem: undefined });
          const { selected } = get();
          if (selected && !commits.some((c) => c.hash === selected)) set({ selected: null, detail: undefined });
        } catch (err) {
          if (get().repo === repo) set({ problem: `Could not read the history: ${describeFailure(err)}` });
        } finally {
          if (get().repo === repo) set({ loading: false });
        }
      },

      async loadMore() {
        const { repo, commits, more, loading } = get();
        if (!repo || !more || loading) return;
        set({ loading: true });
        try {
          const next = await page(repo, commits.length);
          if (get().repo !== repo) return;
          // Another commit may have landed since: skip what is already listed rather than show it twice.
          const known = new Set(get().commits.map((c) => c.hash));
          set({ commits: [...get().commits, ...next.commits.filter((c) => !known.has(c.hash))], more: next.more });
        } catch (err) {
          set({ problem: `Could not read more history: ${describeFailure(err)}` });
        } finally {
          set({ loading: false });
        }
      },

      async select(hash) {
        const { repo } = get();
        set({ selected: hash, detail: undefined });
        if (!repo || !hash) return;
        try {
          const detail = await link.invoke('repos.show', { repo, rev: hash, patch: false });
          if (get().selected === hash) set({ detail, problem: undefined });
        } catch (err) {
          if (get().selected === hash) set({ problem: `Could not show ${hash.slice(0, 7)}: ${describeFailure(err)}` });
        }
      },
    };
  });
}
