import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DiagnosticsState, DiagnosticsStore } from '../../stores/diagnostics';

const DiagnosticsContext = createContext<DiagnosticsStore | null>(null);

/** Handed down from the composition root (main.tsx), like the other stores. */
export function DiagnosticsProvider({ store, children }: { store: DiagnosticsStore; children: ReactNode }) {
  return <DiagnosticsContext.Provider value={store}>{children}</DiagnosticsContext.Provider>;
}

export function useDiagnosticsStore(): DiagnosticsStore {
  const store = useContext(DiagnosticsContext);
  if (!store) throw new Error('DiagnosticsProvider is missing above this component');
  return store;
}

export function useDiagnostics<T>(selector: (state: DiagnosticsState) => T): T {
  return useStore(useDiagnosticsStore(), selector);
}
