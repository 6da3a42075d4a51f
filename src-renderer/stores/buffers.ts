import { createStore, type StoreApi } from 'zustand/vanilla';
import { isRecord, readJson, writeJson, type KeyValueStorage } from './persisted';

/**
 * The text of each repository file open in the editor, beside what the repository holds (`base`). A buffer
 * whose text differs from its base is unsaved; unsaved buffers are written to storage on every change, so a
 * reload, a crash or a switch of file, repository or view loses nothing typed.
 */
export interface Buffer {
  text: string;
  /** The file's content in the work tree when last read or saved; null for a file not written yet. */
  base: string | null;
  /** Unsaved text that came back from storage (a reload), so the editor can say so. */
  restored: boolean;
}

export const BUFFERS_KEY = 'govc.workspace.buffers.v1';

export function bufferKey(repo: string, path: string): string {
  // Repository ids never contain ':' (the engine allows [A-Za-z0-9._-]), so the key splits unambiguously.
  return `${repo}:${path}`;
}

export function isUnsaved(buffer: Buffer | undefined): boolean {
  return buffer !== undefined && buffer.text !== buffer.base;
}

export interface BuffersState {
  buffers: Readonly<Record<string, Buffer>>;
  saveProblem: string | undefined;
  /** Records what the repository holds; unsaved text already typed is kept, not replaced. */
  loaded(key: string, content: string | null): void;
  /** A file the repository changed under a clean buffer (restore, checkout): take the new content. */
  replaced(key: string, content: string): void;
  edit(key: string, text: string): void;
  saved(key: string, text: string): void;
  discard(key: string): void;
  moved(from: string, to: string): void;
}

export type BuffersStore = StoreApi<BuffersState>;

export function createBuffersStore(storage: KeyValueStorage): BuffersStore {
  return createStore<BuffersState>()((set, get) => {
    const commit = (buffers: Record<string, Buffer>) => {
      const unsaved = Object.fromEntries(
        Object.entries(buffers)
          .filter(([, b]) => isUnsaved(b))
          .map(([key, b]) => [key, { text: b.text, base: b.base }]),
      );
      // Written synchronously on every change: a debounce would lose the last keystrokes on a crash.
      set({ buffers, saveProblem: writeJson(storage, BUFFERS_KEY, unsaved) });
    };
    const without = (key: string) => Object.fromEntries(Object.entries(get().buffers).filter(([k]) => k !== key));

    return {
      buffers: readBuffers(storage),
      saveProblem: undefined,

      loaded(key, content) {
        const current = get().buffers[key];
        if (current && isUnsaved(current)) {
          // The text typed stays; the base moves to what the repository holds now, so the ● stays honest.
          commit({ ...get().buffers, [key]: { ...current, base: content } });
        } else {
          commit({ ...get().buffers, [key]: { text: content ?? '', base: content, restored: false } });
        }
      },

      replaced(key, content) {
        commit({ ...get().buffers, [key]: { text: content, base: content, restored: false } });
      },

      edit(key, text) {
        const current = get().buffers[key] ?? { text: '', base: null, restored: false };
        if (current.text === text) return;
        commit({ ...get().buffers, [key]: { ...current, text } });
      },

      saved(key, text) {
        const current = get().buffers[key];
        // Typing may have continued while the save was on its way: only what was sent is now the base.
        commit({ ...get().buffers, [key]: { text: current?.text ?? text, base: text, restored: false } });
      },

      discard(key) {
        commit(without(key));
      },

      moved(from, to) {
        const buffer = get().buffers[from];
        if (!buffer) return;
        commit({ ...without(from), [to]: buffer });
      },
    };
  });
}

function readBuffers(storage: KeyValueStorage): Record<string, Buffer> {
  const stored = readJson(storage, BUFFERS_KEY);
  if (!isRecord(stored)) return {};
  const buffers: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (!isRecord(value) || typeof value.text !== 'string') continue;
    const base = typeof value.base === 'string' ? value.base : null;
    buffers[key] = { text: value.text, base, restored: true };
  }
  return buffers;
}
