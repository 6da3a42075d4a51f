/**
 * The Registry view's state: the repositories served at /v2/ with their tags, per-repository anonymous pull
 * switches, and the last garbage collection's result.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, type AnyEngineEvent, type EngineLink } from '../bridge';
import { changesRegistry, type RegistryGcResult, type RegistryOverview } from '../bridge/registry';

export type GcState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; result: RegistryGcResult }
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
  refresh(): Promise<void>;
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

    async refresh() {
      set({ loading: true });
      try {
        set({ overview: await link.invoke('registry.repositories', {}), problem: undefined, loading: false });
      } catch (err) {
        set({ problem: describeFailure(err), loading: false });
      }
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
