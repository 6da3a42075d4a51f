import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ImagesState, ImagesStore } from '../../stores/images';

const ImagesContext = createContext<ImagesStore | null>(null);

/** Built in main.tsx (the composition root) like every store; the Images view reads it from here. */
export function ImagesProvider({ store, children }: { store: ImagesStore; children: ReactNode }) {
  return <ImagesContext.Provider value={store}>{children}</ImagesContext.Provider>;
}

export function useImagesStore(): ImagesStore {
  const store = useContext(ImagesContext);
  if (!store) throw new Error('ImagesProvider is missing above this component');
  return store;
}

export function useImages<T>(selector: (state: ImagesState) => T): T {
  return useStore(useImagesStore(), selector);
}
