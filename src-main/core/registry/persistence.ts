/**
 * The registry's metadata on disk, beside the blobs of its OCI layout: `index.json` (every manifest of
 * every repository, see repositories.ts) and `govc-registry.json` (settings: repositories open to
 * anonymous pulls). Both are replaced atomically; they are read once, at start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { isRegistryDigest } from './digest';
import { parseManifest } from './manifest';
import { REF_NAME, REPOSITORY_ANNOTATION, manifestRecord, type RepositoryIndex } from './repositories';
import type { LayoutBlobStore } from './layout-store';

export interface RegistrySettings {
  anonymousPull: string[];
}

interface IndexFile {
  schemaVersion: 2;
  mediaType: string;
  manifests: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }>;
}

export function saveIndex(root: string, repos: RepositoryIndex): void {
  const index: IndexFile = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: repos.toIndex(),
  };
  writeFileAtomic(join(root, 'index.json'), JSON.stringify(index), 0o644);
}

/**
 * Rebuilds repositories from index.json. Manifests are re-read from their blobs to recover what they
 * reference; an entry whose blob is missing or unreadable is skipped (and reported), never fatal.
 */
export function loadIndex(store: LayoutBlobStore, repos: RepositoryIndex): string[] {
  const file = join(store.root, 'index.json');
  if (!existsSync(file)) return [];
  const problems: string[] = [];
  const index = JSON.parse(readFileSync(file, 'utf8')) as Partial<IndexFile>;
  for (const entry of index.manifests ?? []) {
    const repo = entry.annotations?.[REPOSITORY_ANNOTATION];
    if (repo === undefined || !isRegistryDigest(entry.digest) || store.stat(entry.digest) === undefined) {
      problems.push(`index.json entry ${entry.digest} of ${repo ?? 'no repository'} has no blob`);
      continue;
    }
    try {
      const parsed = parseManifest(readFileSync(store.path(entry.digest)), entry.mediaType);
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
