import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, errorCodeOf, type EngineLink, type FileChange, type TreeEntry } from '../bridge';
import { isRecord, readJson, writeJson, type KeyValueStorage } from './persisted';

/** The one-letter badge shown in the tree and the changes list. */
export type ChangeBadge = 'A' | 'M' | 'D';

export interface Change extends FileChange {
  badge: ChangeBadge;
  /** How much of the change is in the staging area: the checkbox, with `partly` as its mixed state. */
  staging: 'staged' | 'unstaged' | 'partly';
  additions: number | undefined;
  deletions: number | undefined;
}

export interface WorktreeState {
  repo: string | null;
  /** Files of the work tree (directories are implied by their paths). */
  files: readonly TreeEntry[];
  changes: readonly Change[];
  head: string | null;
  loading: boolean;
  problem: string | undefined;
  /** The hash of the last commit made here, so other views can follow (history, branches). */
  lastCommit: string | undefined;
  /** The commit message being written for this repository; kept across switches and reloads. */
  draftMessage: string;
  setDraftMessage(message: string): void;
  load(repo: string | null): Promise<void>;
  refresh(): Promise<void>;
  setStaged(path: string, staged: boolean): Promise<void>;
  /** Puts a path back as HEAD has it; a file HEAD does not have is deleted. */
  restore(path: string): Promise<boolean>;
  /** Commits what is staged, or everything when nothing is (the engine's rule). */
  commit(message: string): Promise<string | undefined>;
  clearProblem(): void;
}

export type WorktreeStore = StoreApi<WorktreeState>;

export function badgeOf(change: FileChange): ChangeBadge {
  if (change.staged === 'deleted' || change.unstaged === 'deleted') return 'D';
  if (change.staged === 'added' || change.unstaged === 'new') return 'A';
  return 'M';
}

function stagingOf(change: FileChange): Change['staging'] {
  if (change.staged === null) return 'unstaged';
  return change.unstaged === null ? 'staged' : 'partly';
}

export const MESSAGES_KEY = 'govc.workspace.messages.v1';

export function createWorktreeStore(link: EngineLink, storage: KeyValueStorage): WorktreeStore {
  const stored = readJson(storage, MESSAGES_KEY);
  const messages: Record<string, string> = isRecord(stored)
    ? Object.fromEntries(Object.entries(stored).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
  return createStore<WorktreeState>()((set, get) => {
    const keepMessage = (repo: string, message: string) => {
      if (message) messages[repo] = message;
      else delete messages[repo];
      writeJson(storage, MESSAGES_KEY, messages);
    };
    const act = async (what: string, run: (repo: string) => Promise<unknown>): Promise<boolean> => {
      const { repo } = get();
      if (!repo) return false;
      try {
        await run(repo);
        set({ problem: undefined });
        return true;
      } catch (err) {
        set({ problem: `Could not ${what}: ${describeFailure(err)}` });
        return false;
      } finally {
        await get().refresh();
      }
    };

    return {
      repo: null,
      files: [],
      changes: [],
      head: null,
      loading: false,
      problem: undefined,
      lastCommit: undefined,
      draftMessage: '',

      setDraftMessage(message) {
        const { repo } = get();
        set({ draftMessage: message });
        if (repo) keepMessage(repo, message);
      },

      async load(repo) {
        if (repo !== get().repo) {
          const draftMessage = (repo && messages[repo]) || '';
          set({ repo, files: [], changes: [], head: null, problem: undefined, draftMessage });
        }
        await get().refresh();
      },

      async refresh() {
        const { repo } = get();
        if (!repo) return;
        set({ loading: true });
        try {
          const [tree, status, stats] = await Promise.all([
            link.invoke('repos.tree', { repo, recursive: true }),
            link.invoke('repos.status', { repo }),
            lineCounts(link, repo),
          ]);
          if (get().repo !== repo) return;
          const changes = status.files.map((file) => ({
            ...file,
            badge: badgeOf(file),
            staging: stagingOf(file),
            additions: stats.get(file.path)?.additions,
            deletions: stats.get(file.path)?.deletions,
          }));
          set({ files: tree.entries.filter((e) => e.type !== 'tree'), changes, head: status.head });
        } catch (err) {
          if (get().repo === repo) set({ problem: `Could not read the work tree: ${describeFailure(err)}` });
        } finally {
          if (get().repo === repo) set({ loading: false });
        }
      },

      async setStaged(path, staged) {
        await act(staged ? `stage ${path}` : `unstage ${path}`, (repo) =>
          link.invoke(staged ? 'repos.stage' : 'repos.unstage', { repo, paths: [path] }),
        );
      },

      restore(path) {
        const change = get().changes.find((c) => c.path === path);
        const isNew = change?.staged === 'added' || (change?.staged === null && change.unstaged === 'new');
        return act(`restore ${path}`, (repo) =>
          isNew
            ? link.invoke('repos.files.delete', { repo, path })
            : link.invoke('repos.restore', { repo, paths: [path] }),
        );
      },

      async commit(message) {
        const { repo } = get();
        if (!repo) return undefined;
        try {
          const { hash } = await link.invoke('repos.commit', { repo, message });
          set({ problem: undefined, lastCommit: hash, draftMessage: '' });
          keepMessage(repo, '');
          return hash;
        } catch (err) {
          const why =
            errorCodeOf(err) === 'NOTHING_TO_COMMIT' ? 'there are no changes to commit' : describeFailure(err);
          set({ problem: `Could not commit: ${why}` });
          return undefined;
        } finally {
          await get().refresh();
        }
      },

      clearProblem: () => set({ problem: undefined }),
    };
  });
}

/** Lines added and removed per path, HEAD against the work tree; none before the first commit. */
async function lineCounts(link: EngineLink, repo: string) {
  const counts = new Map<string, { additions: number; deletions: number }>();
  try {
    const { files } = await link.invoke('repos.diff', { repo, context: 0 });
    for (const file of files) counts.set(file.path, { additions: file.additions, deletions: file.deletions });
  } catch {
    // An empty repository has no HEAD to compare with; the counts are a nicety, the list still shows.
  }
  return counts;
}
