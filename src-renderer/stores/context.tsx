import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ActivityState, ActivityStore } from './activity';
import type { DraftsState, DraftsStore } from './drafts';
import type { SystemState, SystemStore } from './system';

/** Built once in main.tsx (the composition root) and handed down, so views never reach for globals. */
export interface Stores {
  system: SystemStore;
  activity: ActivityStore;
  drafts: DraftsStore;
}

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('StoresProvider is missing above this component');
  return stores;
}

export function useSystem<T>(selector: (state: SystemState) => T): T {
  return useStore(useStores().system, selector);
}

export function useActivity<T>(selector: (state: ActivityState) => T): T {
  return useStore(useStores().activity, selector);
}

export function useDrafts<T>(selector: (state: DraftsState) => T): T {
  return useStore(useStores().drafts, selector);
}
