import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnyEngineEvent } from '../bridge';

/** Enough to see what just happened without letting a long session grow memory without bound. */
export const ACTIVITY_LIMIT = 500;

export interface ActivityState {
  /** Newest first, at most `limit`. */
  events: readonly AnyEngineEvent[];
  limit: number;
  record(event: AnyEngineEvent): void;
  clear(): void;
}

export type ActivityStore = StoreApi<ActivityState>;

export function createActivityStore(limit = ACTIVITY_LIMIT): ActivityStore {
  return createStore<ActivityState>()((set) => ({
    events: [],
    limit,
    record(event) {
      set((state) => ({ events: [event, ...state.events.slice(0, limit - 1)] }));
    },
    clear() {
      set({ events: [] });
    },
  }));
}
