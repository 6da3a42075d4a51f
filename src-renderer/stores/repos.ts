import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, type EngineLink, type RepoSummary } from '../bridge';
import { readJson, writeJson, type KeyValueStorage } from './persisted';

export const SELECTED_REPO_KEY = 'govc.workspace.repo.v1';

export interface NewRepo {
  id: string;
  persist: boolean;
  /** An absolute folder holding a git repository, imported with its history. */
  importFrom?: string;
}

export interface ReposState {
  repos: readonly RepoSummary[];
  loaded: boolean;
  /** The repository the workspace shows; kept across reloads. */
  selected: string | null;
  problem: string | undefined;
  refresh(): Promise<void>;
  select(id: string | null): void;
  /** Resolves true when created (and selected); on failure `problem` says why. */
  create(repo: NewRepo): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  clearProblem(): void;
}

export type ReposStore = StoreApi<ReposState>;

export function createReposStore(link: EngineLink, storage: KeyValueStorage): ReposStore {
  const stored = readJson(storage, SELECTED_REPO_KEY);
  return createStore<ReposState>()((set, get) => {
    const select = (id: string | null) => {
      writeJson(storage, SELECTED_REPO_KEY, id ?? undefined);
      set({ selected: id });
    };
    return {
      repos: [],
      loaded: false,
      selected: typeof stored === 'string' ? stored : null,
      problem: undefined,

      async refresh() {
        try {
          const { repos } = await link.invoke('repos.list', {});
          const sorted = [...repos].sort((a, b) => a.id.localeCompare(b.id));
          set({ repos: sorted, loaded: true });
          // A remembered repository may have been deleted meanwhile (by another client, say).
          const { selected } = get();
          if (selected === null || !sorted.some((r) => r.id === selected)) select(sorted[0]?.id ?? null);
        } catch (err) {
          set({ problem: `Could not list repositories: ${describeFailure(err)}` });
        }
      },

      select,

      async create({ id, persist, importFrom }) {
        try {
          const input = importFrom ? { id, persist, import_from: importFrom } : { id, persist };
          await link.invoke('repos.create', input);
          select(id);
          set({ problem: undefined });
          await get().refresh();
          return true;
        } catch (err) {
          set({ problem: `Could not create “${id}”: ${describeFailure(err)}` });
          return false;
        }
      },

      async remove(id) {
        try {
          await link.invoke('repos.delete', { repo: id });
          if (get().selected === id) select(null);
          set({ problem: undefined });
          await get().refresh();
          return true;
        } catch (err) {
          set({ problem: `Could not delete “${id}”: ${describeFailure(err)}` });
          return false;
        }
      },

      clearProblem: () => set({ problem: undefined }),
    };
  });
}
