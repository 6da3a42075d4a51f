/** Small helpers for the workspace state kept in Web Storage (`localStorage` in the app). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The stored JSON, or undefined when it is missing or unreadable: a broken entry must not stop the app. */
export function readJson(storage: KeyValueStorage, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Returns why the write failed (quota, private mode), or undefined when it succeeded. */
export function writeJson(storage: KeyValueStorage, key: string, value: unknown): string | undefined {
  try {
    if (value === undefined) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
    return undefined;
  } catch (err) {
    return `Not saved in this browser's storage: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
