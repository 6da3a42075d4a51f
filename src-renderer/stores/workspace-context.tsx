import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { WorkspaceStates, WorkspaceStores } from './workspace';

const WorkspaceContext = createContext<WorkspaceStores | null>(null);

export function WorkspaceProvider({ stores, children }: { stores: WorkspaceStores; children: ReactNode }) {
  return <WorkspaceContext.Provider value={stores}>{children}</WorkspaceContext.Provider>;
}

/** The workspace stores themselves, for actions that read state at the moment they run. */
export function useWorkspaceStores(): WorkspaceStores {
  const stores = useContext(WorkspaceContext);
  if (!stores) throw new Error('WorkspaceProvider is missing above this component');
  return stores;
}

/** Selects from one workspace store: `useWorkspace('worktree', (s) => s.changes)`. */
export function useWorkspace<K extends keyof WorkspaceStates, T>(
  name: K,
  selector: (state: WorkspaceStates[K]) => T,
): T {
  const store: StoreApi<WorkspaceStates[K]> = useWorkspaceStores()[name];
  return useStore(store, selector);
}
