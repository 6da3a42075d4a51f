import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ActivityState, ActivityStore } from './activity';
import type { BuildsState, BuildsStore } from './builds';
import type { DraftsState, DraftsStore } from './drafts';
import type { SettingsState, SettingsStore } from './settings';
import type { SystemState, SystemStore } from './system';
import type { WebhooksState, WebhooksStore } from './webhooks';

/** Built once in main.tsx (the composition root) and handed down, so views never reach for globals. */
export interface Stores {
  system: SystemStore;
  activity: ActivityStore;
  drafts: DraftsStore;
  builds: BuildsStore;
  settings: SettingsStore;
  webhooks: WebhooksStore;
}

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
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

export function useBuilds<T>(selector: (state: BuildsState) => T): T {
  return useStore(useStores().builds, selector);
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useStores().settings, selector);
}

export function useWebhooks<T>(selector: (state: WebhooksState) => T): T {
  return useStore(useStores().webhooks, selector);
}
