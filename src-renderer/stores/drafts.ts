import { createStore, type StoreApi } from 'zustand/vanilla';
import { isEditorLanguage, type EditorLanguage } from '../editor/languages';

/** Text typed in the editor that no repository holds yet, kept so a reload or a view switch loses nothing. */
export interface Draft {
  language: EditorLanguage;
  text: string;
}

/** The part of the Web Storage API drafts need: `localStorage` in the app. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const DRAFTS_KEY = 'govc.drafts.v1';
export const SCRATCH_DRAFT = 'scratch';
export const EMPTY_DRAFT: Draft = Object.freeze({ language: 'dockerfile', text: '' });

export interface DraftsState {
  drafts: Readonly<Record<string, Draft>>;
  /** Set when the last write to storage failed (quota, private mode), so the editor can say so. */
  saveProblem: string | undefined;
  update(id: string, change: Partial<Draft>): void;
}

export type DraftsStore = StoreApi<DraftsState>;

export function selectDraft(id: string): (state: DraftsState) => Draft {
  return (state) => state.drafts[id] ?? EMPTY_DRAFT;
}

export function createDraftsStore(storage: DraftStorage): DraftsStore {
  return createStore<DraftsState>()((set, get) => ({
    drafts: readDrafts(storage),
    saveProblem: undefined,
    update(id, change) {
      const drafts = { ...get().drafts, [id]: { ...(get().drafts[id] ?? EMPTY_DRAFT), ...change } };
      // Written on every change, synchronously: a debounce would lose the last keystrokes on a crash.
      set({ drafts, saveProblem: writeDrafts(storage, drafts) });
    },
  }));
}

function readDrafts(storage: DraftStorage): Record<string, Draft> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(DRAFTS_KEY) ?? '{}');
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const drafts: Record<string, Draft> = {};
  for (const [id, value] of Object.entries(parsed)) {
    if (isDraft(value)) drafts[id] = { language: value.language, text: value.text };
  }
  return drafts;
}

function isDraft(value: unknown): value is Draft {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.text === 'string' && isEditorLanguage(candidate.language);
}

/** Returns why the write failed, or undefined when it succeeded. */
function writeDrafts(storage: DraftStorage, drafts: Record<string, Draft>): string | undefined {
  try {
    storage.setItem(DRAFTS_KEY, JSON.stringify(drafts));
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return `Not saved in this browser's storage: ${reason}`;
  }
}
