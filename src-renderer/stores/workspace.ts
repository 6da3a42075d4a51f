import type { StoreApi } from 'zustand/vanilla';
import type { AnyEngineEvent, EngineLink } from '../bridge';
import { createBranchesStore, type BranchesState } from './branches';
import { createBuffersStore, type BuffersState } from './buffers';
import { createDiffStore, type DiffState } from './diff';
import { createHistoryStore, type HistoryState } from './history';
import type { KeyValueStorage } from './persisted';
import { createReposStore, type ReposState } from './repos';
import { createTabsStore, type TabsState } from './tabs';
import { createWorktreeStore, type WorktreeState } from './worktree';

/** The state of each store behind the workspace (repositories, branches, files, changes, history). */
export interface WorkspaceStates {
  repos: ReposState;
  branches: BranchesState;
  worktree: WorktreeState;
  history: HistoryState;
  buffers: BuffersState;
  tabs: TabsState;
  diff: DiffState;
}

export type WorkspaceStores = { [K in keyof WorkspaceStates]: StoreApi<WorkspaceStates[K]> };

export function createWorkspaceStores(link: EngineLink, storage: KeyValueStorage): WorkspaceStores {
  const buffers = createBuffersStore(storage);
  return {
    repos: createReposStore(link, storage),
    branches: createBranchesStore(link),
    worktree: createWorktreeStore(link, storage),
    history: createHistoryStore(link),
    buffers,
    tabs: createTabsStore(link, buffers, storage),
    diff: createDiffStore(link),
  };
}

/** Where HEAD is: when it moves (commit, checkout, merge, here or by another client) the views follow. */
function headOf(state: Pick<BranchesState, 'repo' | 'current' | 'branches'>): string {
  const hash = state.branches.find((b) => b.name === state.current)?.hash ?? '';
  return `${state.repo ?? ''} ${state.current ?? ''} ${hash}`;
}

/**
 * Keeps the workspace live: loads the selected repository, follows engine events (from this window and
 * from any other client) and reloads what they change. Returns what stops following.
 */
export function connectWorkspace(link: EngineLink, stores: WorkspaceStores): () => void {
  const { repos, branches, worktree, history, tabs, diff } = stores;
  const selected = () => repos.getState().selected;

  const loadAll = (repo: string | null) => {
    void branches.getState().load(repo);
    void worktree.getState().load(repo);
    void history.getState().load(repo);
    if (repo) void tabs.getState().reload(repo);
    if (diff.getState().target?.repo !== repo) diff.getState().close();
  };

  const onEvent = (event: AnyEngineEvent) => {
    if (event.type === 'repo.created' || event.type === 'repo.deleted') {
      void repos.getState().refresh();
      return;
    }
    const repo = selected();
    if (!repo || event.repo !== repo || !event.type.startsWith('repo.')) return;
    // Branch changes move no files; the rest (commit, checkout, merge) may change the work tree too.
    void branches.getState().load(repo);
    if (!event.type.startsWith('repo.branch.')) void worktree.getState().refresh();
  };

  const stops = [
    repos.subscribe((state, previous) => {
      if (state.selected !== previous.selected) loadAll(state.selected);
    }),
    branches.subscribe((state, previous) => {
      if (state.repo === null || state.repo !== previous.repo || headOf(state) === headOf(previous)) return;
      void worktree.getState().refresh();
      void history.getState().load(state.repo);
      void tabs.getState().reload(state.repo);
      void diff.getState().refresh();
    }),
    tabs.subscribe((state, previous) => {
      if (state.writes === previous.writes) return;
      void worktree.getState().refresh();
      void diff.getState().refresh();
    }),
    worktree.subscribe((state, previous) => {
      if (state.lastCommit !== previous.lastCommit && state.repo) void branches.getState().load(state.repo);
    }),
    link.onEvent(onEvent),
    link.onStreamState((state) => {
      // Events may have been missed while the stream was down: read everything again.
      if (state === 'open') {
        void repos.getState().refresh();
        loadAll(selected());
      }
    }),
  ];

  loadAll(selected());
  void repos.getState().refresh();
  return () => stops.forEach((stop) => stop());
}
