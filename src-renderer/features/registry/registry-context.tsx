import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { RegistryState, RegistryStore } from '../../stores/registry';

const RegistryContext = createContext<RegistryStore | null>(null);

/** Built in main.tsx (the composition root) like every store; the Registry view reads it from here. */
export function RegistryProvider({ store, children }: { store: RegistryStore; children: ReactNode }) {
  return <RegistryContext.Provider value={store}>{children}</RegistryContext.Provider>;
}

export function useRegistryStore(): RegistryStore {
  const store = useContext(RegistryContext);
  if (!store) throw new Error('RegistryProvider is missing above this component');
  return store;
}

export function useRegistry<T>(selector: (state: RegistryState) => T): T {
  return useStore(useRegistryStore(), selector);
}
