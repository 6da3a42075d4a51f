/**
 * The Registry view's state: the repositories served at /v2/ with their tags, per-repository anonymous pull
 * switches, and the last garbage collection's result.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, type AnyEngineEvent, type EngineLink } from '../bridge';
import {
  changesRegistry,
  type RegistryGcResult,
  type RegistryOverview,
  type RegistryRepositoryDetails,
} from '../bridge/registry';

export type GcState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; result: RegistryGcResult }
  | { phase: 'failed'; problem: string };

export type DetailsState =
  | { phase: 'loading'; data?: RegistryRepositoryDetails }
  | { phase: 'done'; data: RegistryRepositoryDetails }
  | { phase: 'failed'; problem: string };

export interface RegistryState {
  overview: RegistryOverview | undefined;
  loading: boolean;
  problem: string | undefined;
  /** Repositories whose anonymous pull switch is being changed. */
  switching: readonly string[];
  /** Per repository, why the engine refused the last switch. */
  refusals: Readonly<Record<string, string>>;
  gc: GcState;
  /** Repositories whose tags and manifests are shown, and what the engine said about each. */
  expanded: readonly string[];
  details: Readonly<Record<string, DetailsState>>;
  refresh(): Promise<void>;
  /** Shows or hides one repository's tags and manifests (loading them when shown). */
  toggle(repo: string): Promise<void>;
  loadDetails(repo: string): Promise<void>;
  setAnonymousPull(repo: string, enabled: boolean): Promise<void>;
  collectGarbage(): Promise<void>;
  handle(event: AnyEngineEvent): void;
  /** Follows the engine's events and loads the list; returns what stops following. */
  attach(): () => void;
}

export type RegistryStore = StoreApi<RegistryState>;

export function createRegistryStore(link: EngineLink): RegistryStore {
  return createStore<RegistryState>()((set, get) => ({
    overview: undefined,
    loading: false,
    problem: undefined,
    switching: [],
    refusals: {},
    gc: { phase: 'idle' },
    expanded: [],
    details: {},

    async refresh() {
      set({ loading: true });
      try {
        const overview = await link.invoke('registry.repositories', {});
        // A repository that went away (deleted, collected) has nothing left to show.
        const names = new Set(overview.repositories.map((r) => r.name));
        set({ overview, problem: undefined, loading: false, expanded: get().expanded.filter((r) => names.has(r)) });
        await Promise.all(get().expanded.map((repo) => get().loadDetails(repo)));
      } catch (err) {
        set({ problem: describeFailure(err), loading: false });
      }
    },

    async toggle(repo) {
      if (get().expanded.includes(repo)) {
        set({ expanded: get().expanded.filter((r) => r !== repo) });
        return;
      }
      set({ expanded: [...get().expanded, repo] });
      await get().loadDetails(repo);
    },

    async loadDetails(repo) {
      const previous = get().details[repo];
      // Keeps what is shown while it is read again, so a refresh does not flicker.
      const data = previous?.phase === 'failed' ? undefined : previous?.data;
      set({ details: { ...get().details, [repo]: { phase: 'loading', ...(data ? { data } : {}) } } });
      let next: DetailsState;
      try {
        next = { phase: 'done', data: await link.invoke('registry.repository', { repo }) };
      } catch (err) {
        next = { phase: 'failed', problem: describeFailure(err) };
      }
      set({ details: { ...get().details, [repo]: next } });
    },

    async setAnonymousPull(repo, enabled) {
      if (get().switching.includes(repo)) return;
      const { [repo]: _dropped, ...refusals } = get().refusals;
      set({ switching: [...get().switching, repo], refusals });
      try {
        const { anonymous_pull } = await link.invoke('registry.anonymousPull.set', { repo, enabled });
        const overview = get().overview;
        if (overview) {
          const repositories = overview.repositories.map((r) => (r.name === repo ? { ...r, anonymous_pull } : r));
          set({ overview: { ...overview, repositories } });
        }
      } catch (err) {
        set({ refusals: { ...get().refusals, [repo]: describeFailure(err) } });
      } finally {
        set({ switching: get().switching.filter((r) => r !== repo) });
      }
    },

    async collectGarbage() {
      if (get().gc.phase === 'running') return;
      set({ gc: { phase: 'running' } });
      try {
        const result = await link.invoke('registry.gc', {});
        set({ gc: { phase: 'done', result } });
        await get().refresh();
      } catch (err) {
        set({ gc: { phase: 'failed', problem: describeFailure(err) } });
      }
    },

    handle(event) {
      if (changesRegistry(event)) void get().refresh();
    },

    attach() {
      const stop = link.onEvent((event) => get().handle(event));
      void get().refresh();
      return stop;
    },
  }));
}
