/**
 * The one garbage collector of the shared store. It walks from every root (index.json's entries, the
 * registry's repositories, the build cache's layers, whatever else a caller names) through manifests to
 * their config and layers and through indexes to their manifests, then deletes the rest in one
 * synchronous pass. Walking needs reads, so roots may change meanwhile: before deleting, a synchronous
 * check walks any root not seen yet, and deletion follows in the same turn of the event loop. Blobs stored
 * after the GC began, or within the grace period, stay: their writer may not have referenced them yet.
 */
import type { BlobStore } from '../../registry/storage';
import { MediaType, type Descriptor, type ImageIndex, type ImageManifest } from '../oci/types';

export interface GcOptions {
  /** Unreferenced blobs stored more recently than this survive (default 0: only the GC's own run). */
  graceMs?: number;
}

export interface GcResult {
  removed: string[];
  freedBytes: number;
}

const MAX_SNIFF_BYTES = 4 * 1024 * 1024;

export async function collectGarbage(
  blobs: BlobStore,
  roots: () => string[],
  extraRoots: string[],
  now: () => number,
  options: GcOptions,
): Promise<GcResult> {
  const startedAt = blobs.generation();
  const graceMs = options.graceMs ?? 0;
  const since = now() - graceMs;
  const live = new Set<string>();
  await walk(blobs, live, [...roots(), ...extraRoots]);
  for (;;) {
    const unseen = roots().filter((d) => !live.has(d) && blobs.stat(d) !== undefined);
    if (unseen.length === 0) break;
    await walk(blobs, live, unseen);
  }
  // From here on: no await, so what was decided live is what is kept.
  const removed: string[] = [];
  let freedBytes = 0;
  for (const blob of blobs.list()) {
    if (live.has(blob.digest)) continue;
    const stored = blobs.stored(blob.digest);
    if (stored !== undefined && (stored.seq > startedAt || (graceMs > 0 && stored.at >= since))) continue;
    if (blobs.delete(blob.digest)) {
      removed.push(blob.digest);
      freedBytes += blob.size;
    }
  }
  return { removed, freedBytes };
}

async function walk(blobs: BlobStore, live: Set<string>, digests: string[]): Promise<void> {
  const pending = [...digests];
  while (pending.length > 0) {
    const digest = pending.pop()!;
    if (live.has(digest) || blobs.stat(digest) === undefined) continue;
    live.add(digest);
    for (const child of await children(blobs, digest)) pending.push(child.digest);
  }
}

/** Roots are bare digests; small JSON documents say what they are by their mediaType or shape. */
async function children(blobs: BlobStore, digest: string): Promise<Descriptor[]> {
  const size = blobs.stat(digest)?.size ?? 0;
  if (size > MAX_SNIFF_BYTES) return [];
  const data = await blobs.get(digest).catch(() => undefined);
  if (data === undefined || data[0] !== 0x7b) return [];
  let doc: { mediaType?: unknown; manifests?: unknown; layers?: unknown; config?: unknown };
  try {
    doc = JSON.parse(data.toString('utf8')) as typeof doc;
  } catch {
    return []; // not JSON: a layer or config
  }
  const type = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const isIndex =
    type === MediaType.index ||
    type === MediaType.dockerManifestList ||
    (type === undefined && Array.isArray(doc.manifests));
  const isManifest =
    type === MediaType.manifest ||
    type === MediaType.dockerManifest ||
    (type === undefined && Array.isArray(doc.layers) && typeof doc.config === 'object');
  if (isIndex) return listOf((doc as ImageIndex).manifests);
  if (isManifest) {
    const manifest = doc as ImageManifest;
    return [...listOf([manifest.config]), ...listOf(manifest.layers)];
  }
  return [];
}

function listOf(value: unknown): Descriptor[] {
  return Array.isArray(value) ? (value as Descriptor[]).filter((d) => typeof d?.digest === 'string') : [];
}
