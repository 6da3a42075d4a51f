import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  describeFailure,
  type ApiToken,
  type BuildCachePruned,
  type BuildCacheStats,
  type BuildSettings,
  type CreatedToken,
  type EngineLink,
  type EngineSettings,
  type RequestInput,
  type TokenRole,
} from '../bridge';
import { readJson, writeJson, type KeyValueStorage } from './persisted';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'govc.settings.theme.v1';
const THEMES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export interface SettingsState {
  theme: ThemeChoice;
  builds: BuildSettings | undefined;
  /** The engine's own settings: persistence default for new repositories, the API server. */
  engine: EngineSettings | undefined;
  tokens: readonly ApiToken[];
  /** A token just created: its secret is shown this once, then forgotten. */
  created: CreatedToken | undefined;
  cache: BuildCacheStats | undefined;
  /** What the last prune forgot and freed. */
  pruned: BuildCachePruned | undefined;
  /** Per section, why its last request failed. */
  problems: Readonly<Partial<Record<Section, string>>>;
  setTheme(theme: ThemeChoice): void;
  load(): Promise<void>;
  loadEngine(): Promise<void>;
  setPersistDefault(persist: boolean): Promise<boolean>;
  /** Turns the desktop's API server on or off, or moves it; the engine refuses headless. */
  setApiServer(change: { enabled?: boolean; port?: number }): Promise<boolean>;
  setConcurrency(concurrency: number): Promise<boolean>;
  setCacheLimit(bytes: number): Promise<boolean>;
  loadCacheStats(): Promise<void>;
  pruneCache(): Promise<void>;
  createToken(name: string, role: TokenRole): Promise<boolean>;
  revokeToken(id: string): Promise<void>;
  forgetCreated(): void;
}

type Section = 'builds' | 'cache' | 'tokens' | 'engine';

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(link: EngineLink, storage: KeyValueStorage): SettingsStore {
  const stored = readJson(storage, THEME_KEY);
  return createStore<SettingsState>()((set, get) => {
    const fail = (section: Section, what: string, err: unknown) =>
      set({ problems: { ...get().problems, [section]: `Could not ${what}: ${describeFailure(err)}` } });
    const ok = (section: Section) => set({ problems: { ...get().problems, [section]: undefined } });
    const loadTokens = async () => {
      try {
        set({ tokens: (await link.invoke('tokens.list', {})).tokens });
        ok('tokens');
      } catch (err) {
        fail('tokens', 'list the API tokens', err);
      }
    };
    const loadEngine = async () => {
      try {
        set({ engine: await link.invoke('system.settings.get', {}) });
        ok('engine');
      } catch (err) {
        fail('engine', 'read the engine settings', err);
      }
    };
    const changeEngine = async (what: string, change: RequestInput<'system.settings.set'>) => {
      try {
        set({ engine: await link.invoke('system.settings.set', change) });
        ok('engine');
        return true;
      } catch (err) {
        fail('engine', what, err);
        return false;
      }
    };
    const loadCacheStats = async () => {
      try {
        set({ cache: await link.invoke('builds.cache.stats', {}) });
        ok('cache');
      } catch (err) {
        fail('cache', 'read the build cache statistics', err);
      }
    };

    return {
      theme: THEMES.includes(stored as ThemeChoice) ? (stored as ThemeChoice) : 'system',
      builds: undefined,
      engine: undefined,
      tokens: [],
      created: undefined,
      cache: undefined,
      pruned: undefined,
      problems: {},

      setTheme(theme) {
        writeJson(storage, THEME_KEY, theme === 'system' ? undefined : theme);
        set({ theme });
      },

      async load() {
        const builds = link.invoke('builds.settings.get', {}).then(
          (settings) => {
            set({ builds: settings });
            ok('builds');
          },
          (err: unknown) => fail('builds', 'read the build settings', err),
        );
        await Promise.all([builds, loadEngine(), loadTokens(), loadCacheStats()]);
      },

      loadEngine,
      setPersistDefault: (persist) =>
        changeEngine(`make new repositories ${persist ? 'kept on disk' : 'memory-only'}`, { persist_default: persist }),
      setApiServer: (change) =>
        changeEngine(change.enabled === false ? 'turn the API server off' : 'change the API server', {
          api_server: change,
        }),

      async setConcurrency(concurrency) {
        try {
          set({ builds: await link.invoke('builds.settings.set', { concurrency }) });
          ok('builds');
          return true;
        } catch (err) {
          fail('builds', 'change the build concurrency', err);
          return false;
        }
      },

      async setCacheLimit(bytes) {
        try {
          set({ builds: await link.invoke('builds.settings.set', { cache_max_bytes: bytes }) });
          ok('builds');
          // The engine evicts past a lower limit at once: the statistics may have changed.
          await loadCacheStats();
          return true;
        } catch (err) {
          fail('builds', 'change the build cache limit', err);
          return false;
        }
      },

      loadCacheStats,

      async pruneCache() {
        try {
          const pruned = await link.invoke('builds.cache.prune', { all: true });
          set({ pruned, cache: pruned.cache });
          ok('cache');
        } catch (err) {
          fail('cache', 'prune the build cache', err);
        }
      },

      async createToken(name, role) {
        try {
          const created = await link.invoke('tokens.create', { name, role });
          set({ created });
          await loadTokens();
          return true;
        } catch (err) {
          fail('tokens', `create the token ${name}`, err);
          return false;
        }
      },

      async revokeToken(id) {
        try {
          await link.invoke('tokens.revoke', { id });
          await loadTokens();
        } catch (err) {
          fail('tokens', 'revoke the token', err);
        }
      },

      forgetCreated: () => set({ created: undefined }),
    };
  });
}
