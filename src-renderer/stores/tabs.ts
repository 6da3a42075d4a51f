import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, errorCodeOf, type EngineLink } from '../bridge';
import { bufferKey, isUnsaved, type BuffersStore } from './buffers';
import { isRecord, readJson, writeJson, type KeyValueStorage } from './persisted';

/** The files open in the editor of one repository, in tab order, and the one showing. */
export interface RepoTabs {
  open: readonly string[];
  active: string | null;
}

export const TABS_KEY = 'govc.workspace.tabs.v1';
const NO_TABS: RepoTabs = Object.freeze({ open: [], active: null });

export interface TabsState {
  byRepo: Readonly<Record<string, RepoTabs>>;
  problem: string | undefined;
  /** Counts the writes made to work trees (save, delete, rename), so the changes can follow. */
  writes: number;
  open(repo: string, path: string): Promise<void>;
  /** A file that exists only in the editor until it is saved. */
  create(repo: string, path: string): void;
  activate(repo: string, path: string): void;
  /** Closes the tab; unsaved text stays kept and comes back when the file is opened again. */
  close(repo: string, path: string): void;
  save(repo: string, path: string): Promise<boolean>;
  remove(repo: string, path: string): Promise<boolean>;
  rename(repo: string, from: string, to: string): Promise<boolean>;
  /** Reads the open files again after the repository changed under them (restore, checkout, merge). */
  reload(repo: string): Promise<void>;
  clearProblem(): void;
}

export type TabsStore = StoreApi<TabsState>;

export function tabsOf(state: Pick<TabsState, 'byRepo'>, repo: string | null): RepoTabs {
  return (repo && state.byRepo[repo]) || NO_TABS;
}

export function createTabsStore(link: EngineLink, buffers: BuffersStore, storage: KeyValueStorage): TabsStore {
  return createStore<TabsState>()((set, get) => {
    const put = (repo: string, tabs: RepoTabs) => {
      const byRepo = { ...get().byRepo, [repo]: tabs };
      set({ byRepo });
      writeJson(storage, TABS_KEY, byRepo);
    };
    const buffer = (repo: string, path: string) => buffers.getState().buffers[bufferKey(repo, path)];
    const fail = (what: string, err: unknown) => set({ problem: `Could not ${what}: ${describeFailure(err)}` });

    /** Reads a file into its buffer; false when it is gone from the work tree. */
    const read = async (repo: string, path: string): Promise<boolean> => {
      const key = bufferKey(repo, path);
      try {
        const file = await link.invoke('repos.files.read', { repo, path });
        const current = buffer(repo, path);
        if (current && !isUnsaved(current) && current.text !== file.content) {
          buffers.getState().replaced(key, file.content);
        } else {
          buffers.getState().loaded(key, file.content);
        }
        return true;
      } catch (err) {
        if (errorCodeOf(err) !== 'FILE_NOT_FOUND') throw err;
        // Not in the work tree: new text typed here is still a file to be, anything else is gone.
        if (isUnsaved(buffer(repo, path))) buffers.getState().loaded(key, null);
        return isUnsaved(buffer(repo, path));
      }
    };

    const withTab = (repo: string, path: string): RepoTabs => {
      const tabs = tabsOf(get(), repo);
      return { open: tabs.open.includes(path) ? tabs.open : [...tabs.open, path], active: path };
    };

    const dropTab = (repo: string, path: string) => {
      const tabs = tabsOf(get(), repo);
      const index = tabs.open.indexOf(path);
      if (index < 0) return;
      const open = tabs.open.filter((p) => p !== path);
      const active = tabs.active === path ? (open[Math.min(index, open.length - 1)] ?? null) : tabs.active;
      put(repo, { open, active });
    };

    return {
      byRepo: readTabs(storage),
      problem: undefined,
      writes: 0,

      async open(repo, path) {
        put(repo, withTab(repo, path));
        try {
          if (!(await read(repo, path))) {
            dropTab(repo, path);
            set({ problem: `${path} is no longer in the work tree` });
          }
        } catch (err) {
          dropTab(repo, path);
          fail(`open ${path}`, err);
        }
      },

      create(repo, path) {
        if (!buffer(repo, path)) buffers.getState().loaded(bufferKey(repo, path), null);
        put(repo, withTab(repo, path));
      },

      activate: (repo, path) => put(repo, withTab(repo, path)),

      close(repo, path) {
        dropTab(repo, path);
        if (!isUnsaved(buffer(repo, path))) buffers.getState().discard(bufferKey(repo, path));
      },

      async save(repo, path) {
        const text = buffer(repo, path)?.text ?? '';
        try {
          await link.invoke('repos.files.write', { repo, path, content: text });
          buffers.getState().saved(bufferKey(repo, path), text);
          set({ problem: undefined, writes: get().writes + 1 });
          return true;
        } catch (err) {
          fail(`save ${path}`, err);
          return false;
        }
      },

      async remove(repo, path) {
        try {
          if (buffer(repo, path)?.base !== null) await link.invoke('repos.files.delete', { repo, path });
        } catch (err) {
          if (errorCodeOf(err) !== 'FILE_NOT_FOUND') {
            fail(`delete ${path}`, err);
            return false;
          }
        }
        dropTab(repo, path);
        buffers.getState().discard(bufferKey(repo, path));
        set({ writes: get().writes + 1 });
        return true;
      },

      async rename(repo, from, to) {
        try {
          // A file never saved exists only here: renaming it is renaming its buffer.
          if (buffer(repo, from)?.base !== null) await link.invoke('repos.files.move', { repo, from, to });
        } catch (err) {
          fail(`rename ${from}`, err);
          return false;
        }
        buffers.getState().moved(bufferKey(repo, from), bufferKey(repo, to));
        const tabs = tabsOf(get(), repo);
        put(repo, {
          open: tabs.open.map((p) => (p === from ? to : p)),
          active: tabs.active === from ? to : tabs.active,
        });
        set({ writes: get().writes + 1 });
        return true;
      },

      async reload(repo) {
        for (const path of tabsOf(get(), repo).open) {
          try {
            if (!(await read(repo, path))) get().close(repo, path);
          } catch (err) {
            fail(`read ${path} again`, err);
          }
        }
      },

      clearProblem: () => set({ problem: undefined }),
    };
  });
}

function readTabs(storage: KeyValueStorage): Record<string, RepoTabs> {
  const stored = readJson(storage, TABS_KEY);
  if (!isRecord(stored)) return {};
  const byRepo: Record<string, RepoTabs> = {};
  for (const [repo, value] of Object.entries(stored)) {
    if (!isRecord(value) || !Array.isArray(value.open)) continue;
    const open = value.open.filter((p): p is string => typeof p === 'string');
    const active = typeof value.active === 'string' && open.includes(value.active) ? value.active : null;
    byRepo[repo] = { open, active };
  }
  return byRepo;
}
