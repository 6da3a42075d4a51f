/**
 * The local images of the engine's store as the Images view shows them: one entry per manifest, with all
 * the names pointing at it, its total size and what its config says. Registry entries are not local
 * images (they live in their repositories) and stay out.
 */
import { GovcError } from '../../../src-shared/errors';
import { loadImage, type StoredImage } from '../build/oci/image';
import { REF_NAME, type ContainerConfig, type Descriptor, type HistoryEntry } from '../build/oci/types';
import type { ContentStore } from '../build/store/content-store';
import { isDigest } from '../build/store/digest';
import { historyOfLayers } from './history';

export interface ImageSummary {
  names: string[];
  digest: string;
  media_type: string;
  /** Manifest, config and layers: what the image takes in the store (layers shared with others included). */
  size: number;
  created?: string;
  architecture: string;
  os: string;
  layers: number;
}

export interface ImageLayer {
  digest: string;
  media_type: string;
  size: number;
  diff_id?: string;
  created_by?: string;
  created?: string;
  comment?: string;
}

export interface ImageDetail extends ImageSummary {
  config: ContainerConfig;
  author?: string;
  layer_list: ImageLayer[];
  history: HistoryEntry[];
}

/** Every named (or unnamed) manifest of index.json, grouped by digest, newest first then by name. */
export async function listImages(store: ContentStore): Promise<ImageSummary[]> {
  const byDigest = new Map<string, { descriptor: Descriptor; names: string[] }>();
  for (const entry of store.indexEntries()) {
    const group = byDigest.get(entry.digest) ?? { descriptor: entry, names: [] };
    const name = entry.annotations?.[REF_NAME];
    if (name !== undefined) group.names.push(name);
    byDigest.set(entry.digest, group);
  }
  const summaries: ImageSummary[] = [];
  for (const { descriptor, names } of byDigest.values()) {
    // An entry whose blobs a GC or a hand-edited layout lost is skipped, not the whole list failed.
    const image = await loadImage(store, stripAnnotations(descriptor)).catch(() => undefined);
    if (image) summaries.push(summarise(image, descriptor, names.sort()));
  }
  return summaries.sort(
    (a, b) => (b.created ?? '').localeCompare(a.created ?? '') || (a.names[0] ?? '').localeCompare(b.names[0] ?? ''),
  );
}

/** One image by name or manifest digest, with its config, layers and history. */
export async function inspectImage(store: ContentStore, ref: string): Promise<ImageDetail> {
  const descriptor = findDescriptor(store, ref);
  const image = await loadImage(store, descriptor ? stripAnnotations(descriptor) : ref);
  const digest = descriptor?.digest ?? image.descriptor.digest;
  const names = store
    .refs()
    .filter((r) => r.descriptor.digest === digest)
    .map((r) => r.name)
    .sort();
  const history = image.config.history ?? [];
  const made = historyOfLayers(history, image.manifest.layers.length);
  return {
    ...summarise(image, descriptor ?? image.descriptor, names),
    config: image.config.config ?? {},
    ...(image.config.author === undefined ? {} : { author: image.config.author }),
    layer_list: image.manifest.layers.map((layer, i) =>
      prune({
        digest: layer.digest,
        media_type: layer.mediaType,
        size: layer.size,
        diff_id: image.config.rootfs.diff_ids[i],
        created_by: made[i]?.created_by,
        created: made[i]?.created,
        comment: made[i]?.comment,
      }),
    ),
    history,
  };
}

/** The index.json entry for a name or digest; undefined for a digest only reachable inside an index. */
export function findDescriptor(store: ContentStore, ref: string): Descriptor | undefined {
  if (isDigest(ref)) return store.indexEntries().find((d) => d.digest === ref);
  return store.resolve(ref);
}

export function requireImage(store: ContentStore, ref: string): Descriptor {
  const descriptor = findDescriptor(store, ref);
  if (!descriptor) throw new GovcError('NOT_FOUND', `No image named ${ref} in the local store`, { ref });
  return descriptor;
}

function summarise(image: StoredImage, top: Descriptor, names: string[]): ImageSummary {
  const layerBytes = image.manifest.layers.reduce((sum, l) => sum + l.size, 0);
  // An index adds its own document to the platform manifest that loadImage picked.
  const indexBytes = top.digest === image.descriptor.digest ? 0 : top.size;
  return prune({
    names,
    digest: top.digest,
    media_type: top.mediaType,
    size: indexBytes + image.descriptor.size + image.manifest.config.size + layerBytes,
    created: image.config.created,
    architecture: image.config.architecture,
    os: image.config.os,
    layers: image.manifest.layers.length,
  });
}

function stripAnnotations(d: Descriptor): Descriptor {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size };
}

function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
