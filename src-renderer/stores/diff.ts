import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, errorCodeOf, type EngineLink } from '../bridge';

/** A file's change: in the work tree against HEAD, or in a commit against its first parent. */
export type DiffTarget =
  | { kind: 'worktree'; repo: string; path: string; change: FileChangeKind }
  | { kind: 'commit'; repo: string; path: string; change: FileChangeKind; hash: string; parent: string | null };

/** Known from the status or the commit: a side that cannot have the file is not asked for (no 404s). */
export type FileChangeKind = 'added' | 'modified' | 'deleted';

export type DiffLayout = 'side-by-side' | 'inline';

export interface DiffState {
  target: DiffTarget | null;
  original: string;
  modified: string;
  loading: boolean;
  problem: string | undefined;
  layout: DiffLayout;
  show(target: DiffTarget): Promise<void>;
  /** Reads the shown sides again (after a save or a commit changed them). */
  refresh(): Promise<void>;
  close(): void;
  toggleLayout(): void;
}

export type DiffStore = StoreApi<DiffState>;

export function diffTitle(target: DiffTarget): string {
  return target.kind === 'worktree'
    ? `${target.path} (HEAD ↔ work tree)`
    : `${target.path} (${target.parent ? target.parent.slice(0, 7) : 'nothing'} ↔ ${target.hash.slice(0, 7)})`;
}

export function createDiffStore(link: EngineLink): DiffStore {
  /** A side that does not have the file (added, deleted, or before the first commit) is empty. */
  const readSide = async (repo: string, path: string, ref: string | null | undefined): Promise<string> => {
    if (ref === null) return '';
    try {
      const file = await link.invoke('repos.files.read', ref ? { repo, path, ref } : { repo, path });
      return file.content;
    } catch (err) {
      if (['FILE_NOT_FOUND', 'REV_NOT_FOUND', 'NO_COMMITS'].includes(errorCodeOf(err) ?? '')) return '';
      throw err;
    }
  };

  return createStore<DiffState>()((set, get) => ({
    target: null,
    original: '',
    modified: '',
    loading: false,
    problem: undefined,
    layout: 'side-by-side',

    async show(target) {
      set({ target, loading: true, problem: undefined });
      try {
        const [original, modified] = await Promise.all([
          target.change === 'added'
            ? ''
            : readSide(target.repo, target.path, target.kind === 'worktree' ? 'HEAD' : target.parent),
          target.change === 'deleted'
            ? ''
            : readSide(target.repo, target.path, target.kind === 'worktree' ? undefined : target.hash),
        ]);
        if (get().target === target) set({ original, modified });
      } catch (err) {
        if (get().target === target) set({ problem: `Could not show the diff: ${describeFailure(err)}` });
      } finally {
        if (get().target === target) set({ loading: false });
      }
    },

    async refresh() {
      const { target } = get();
      if (target) await get().show({ ...target });
    },

    close: () => set({ target: null, original: '', modified: '', problem: undefined }),
    toggleLayout: () => set({ layout: get().layout === 'inline' ? 'side-by-side' : 'inline' }),
  }));
}
