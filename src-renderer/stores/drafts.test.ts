import { describe, expect, it } from 'vitest';
import { createDraftsStore, DRAFTS_KEY, EMPTY_DRAFT, selectDraft, type DraftStorage } from './drafts';

/** Web Storage semantics over a Map, optionally refusing writes like a full quota does. */
function memoryStorage(initial: Record<string, string> = {}, refuseWrites = false) {
  const items = new Map(Object.entries(initial));
  const storage: DraftStorage = {
    getItem: (key) => items.get(key) ?? null,
    setItem(key, value) {
      if (refuseWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      items.set(key, value);
    },
  };
  return { storage, items };
}

describe('drafts store', () => {
  it('starts empty and keeps what is typed for the next window (a reload)', () => {
    const { storage } = memoryStorage();
    const first = createDraftsStore(storage);
    expect(selectDraft('scratch')(first.getState())).toBe(EMPTY_DRAFT);

    first.getState().update('scratch', { text: 'FROM alpine' });
    first.getState().update('scratch', { language: 'yaml' });

    const afterReload = createDraftsStore(storage);
    expect(selectDraft('scratch')(afterReload.getState())).toEqual({ language: 'yaml', text: 'FROM alpine' });
  });

  it('ignores stored data it cannot read instead of failing to start', () => {
    expect(createDraftsStore(memoryStorage({ [DRAFTS_KEY]: '{not json' }).storage).getState().drafts).toEqual({});
    const mixed = JSON.stringify({
      good: { language: 'json', text: '{}' },
      badLanguage: { language: 'cobol', text: 'x' },
      badText: { language: 'yaml', text: 42 },
    });
    expect(createDraftsStore(memoryStorage({ [DRAFTS_KEY]: mixed }).storage).getState().drafts).toEqual({
      good: { language: 'json', text: '{}' },
    });
  });

  it('keeps the text in memory and says so when storage refuses the write', () => {
    const store = createDraftsStore(memoryStorage({}, true).storage);
    store.getState().update('scratch', { text: 'RUN make' });
    expect(selectDraft('scratch')(store.getState()).text).toBe('RUN make');
    expect(store.getState().saveProblem).toMatch(/^Not saved in this browser's storage: The quota has been exceeded/);
  });
});
