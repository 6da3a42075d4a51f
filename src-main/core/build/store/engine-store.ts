/**
 * Where the engine's one store lives: `<dataDir>/store`, an OCI image layout shared by builds and the
 * registry. Data folders from before it was shared kept the registry in `<dataDir>/registry` and the
 * CLI's builds in `<dataDir>/build/store`; both are layouts of the same shape, so the first one found is
 * moved into place when there is no store yet (a rename: nothing is copied).
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ContentStore, type ContentStoreOptions } from './content-store';

export function storeRoot(dataDir: string): string {
  return join(dataDir, 'store');
}

const LEGACY_FOLDERS = ['registry', join('build', 'store')];

/** The folders of an older layout that were not moved, because a store already existed. */
export function legacyStores(dataDir: string): string[] {
  return LEGACY_FOLDERS.map((f) => join(dataDir, f)).filter((f) => existsSync(join(f, 'oci-layout')));
}

export function openEngineStore(dataDir: string, options: ContentStoreOptions = {}): ContentStore {
  const root = storeRoot(dataDir);
  if (!existsSync(root)) {
    const legacy = legacyStores(dataDir)[0];
    if (legacy !== undefined) renameSync(legacy, root);
  }
  return ContentStore.openSync(root, options);
}
