import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DefinitionsState, DefinitionsStore } from '../../stores/definitions';

const DefinitionsContext = createContext<DefinitionsStore | null>(null);

/** Handed down from the composition root (main.tsx), like the other stores. */
export function DefinitionsProvider({ store, children }: { store: DefinitionsStore; children: ReactNode }) {
  return <DefinitionsContext.Provider value={store}>{children}</DefinitionsContext.Provider>;
}

export function useDefinitionsStore(): DefinitionsStore {
  const store = useContext(DefinitionsContext);
  if (!store) throw new Error('DefinitionsProvider is missing above this component');
  return store;
}

export function useDefinitions<T>(selector: (state: DefinitionsState) => T): T {
  return useStore(useDefinitionsStore(), selector);
}
