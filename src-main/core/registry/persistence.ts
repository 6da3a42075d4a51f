/**
 * The registry's metadata on disk, beside the blobs of the store's OCI layout: its entries of the store's
 * `index.json` (every manifest of every repository, annotated with it; see repositories.ts), and
 * `govc-registry.json` (settings: repositories open to anonymous pulls). Both are replaced atomically;
 * they are read once, at start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentStore } from '../build/store/content-store';
import type { Descriptor } from '../build/oci/types';
import { writeFileAtomic } from '../fs/atomic';
import { isRegistryDigest } from './digest';
import { parseManifest } from './manifest';
import { REF_NAME, REPOSITORY_ANNOTATION, manifestRecord, type RepositoryIndex } from './repositories';

export interface RegistrySettings {
  anonymousPull: string[];
}

/** Replaces the registry's entries of index.json; the store's local images stay. */
export function saveIndex(store: ContentStore, repos: RepositoryIndex): void {
  // Registry digests may be sha512; the store's Descriptor type names its own sha256 images.
  store.setRegistryEntries(repos.toIndex() as unknown as Descriptor[]);
}

/**
 * Rebuilds repositories from index.json. Manifests are re-read from their blobs to recover what they
 * reference; an entry whose blob is missing or unreadable is skipped (and reported), never fatal.
 */
export function loadIndex(store: ContentStore, repos: RepositoryIndex): string[] {
  const problems: string[] = [];
  for (const entry of store.registryEntries()) {
    const repo = entry.annotations?.[REPOSITORY_ANNOTATION];
    if (repo === undefined || !isRegistryDigest(entry.digest) || store.blobs.stat(entry.digest) === undefined) {
      problems.push(`index.json entry ${entry.digest} of ${repo ?? 'no repository'} has no blob`);
      continue;
    }
    try {
      const parsed = parseManifest(store.blobs.readSync(entry.digest), entry.mediaType);
      const ref = entry.annotations?.[REF_NAME];
      const tag = ref?.startsWith(`${repo}:`) ? ref.slice(repo.length + 1) : undefined;
      repos.addManifest(repo, manifestRecord(entry.digest, entry.size, parsed), tag);
    } catch (err) {
      problems.push(`index.json entry ${entry.digest}: ${(err as Error).message}`);
    }
  }
  return problems;
}

export function loadSettings(root: string): RegistrySettings {
  const file = join(root, 'govc-registry.json');
  if (!existsSync(file)) return { anonymousPull: [] };
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<RegistrySettings>;
  return {
    anonymousPull: Array.isArray(data.anonymousPull) ? data.anonymousPull.filter((r) => typeof r === 'string') : [],
  };
}

export function saveSettings(root: string, settings: RegistrySettings): void {
  writeFileAtomic(join(root, 'govc-registry.json'), JSON.stringify({ version: 1, ...settings }, null, 2), 0o644);
}
