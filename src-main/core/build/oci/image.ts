/**
 * Images as the store holds them: a config blob, layer blobs and a manifest naming both. Configs are
 * serialised canonically (fields in spec order, map keys sorted, empty fields dropped), so equal images
 * always get equal digests whatever order the code that built them set fields in.
 */
import { GovcError } from '../../../../src-shared/errors';
import type { ContentStore } from '../store/content-store';
import { isDigest, type Digest } from '../store/digest';
import {
  MediaType,
  type ContainerConfig,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
} from './types';

export interface StoredImage {
  descriptor: Descriptor;
  manifest: ImageManifest;
  config: ImageConfig;
}

const NODE_TO_OCI_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function hostPlatform(): { os: string; architecture: string } {
  return { os: 'linux', architecture: NODE_TO_OCI_ARCH[process.arch] ?? process.arch };
}

/** `created` and history times: SOURCE_DATE_EPOCH when given, else the epoch, so rebuilds are identical. */
export function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function emptyImageConfig(platform = hostPlatform()): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    config: {},
    rootfs: { type: 'layers', diff_ids: [] },
    history: [],
  };
}

/** Writes config and manifest blobs for `layers` (in order, bottom first) and returns the image. */
export async function putImage(store: ContentStore, config: ImageConfig, layers: Descriptor[]): Promise<StoredImage> {
  if (config.rootfs.diff_ids.length !== layers.length)
    throw new GovcError(
      'BAD_IMAGE',
      `Config lists ${config.rootfs.diff_ids.length} diff_ids for ${layers.length} layers`,
    );
  const canonical = canonicalConfig(config);
  const configDescriptor = await store.putJson(canonical, MediaType.config);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.manifest,
    config: configDescriptor,
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  const descriptor = await store.putJson(manifest, MediaType.manifest);
  return { descriptor, manifest, config: canonical };
}

/**
 * Loads an image by name or digest. An index (multi-platform) resolves to the host platform's manifest,
 * or its only manifest.
 */
export async function loadImage(store: ContentStore, ref: string | Descriptor): Promise<StoredImage> {
  let descriptor = typeof ref === 'string' ? (isDigest(ref) ? await describe(store, ref) : store.resolve(ref)) : ref;
  if (!descriptor)
    throw new GovcError('NOT_FOUND', `No image named ${String(ref)} in the local store`, { ref: String(ref) });
  if (descriptor.mediaType === MediaType.index || descriptor.mediaType === MediaType.dockerManifestList) {
    const index = await store.getJson<ImageIndex>(descriptor.digest);
    const { architecture } = hostPlatform();
    const pick =
      index.manifests.find((m) => m.platform?.architecture === architecture && m.platform.os === 'linux') ??
      (index.manifests.length === 1 ? index.manifests[0] : undefined);
    if (!pick) throw new GovcError('NOT_FOUND', `Image ${String(ref)} has no linux/${architecture} manifest`);
    descriptor = pick;
  }
  const manifest = await store.getJson<ImageManifest>(descriptor.digest);
  const config = await store.getJson<ImageConfig>(manifest.config.digest);
  return {
    descriptor: { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size },
    manifest,
    config,
  };
}

async function describe(store: ContentStore, digest: Digest): Promise<Descriptor> {
  const doc = await store.getJson<{ mediaType?: string; manifests?: unknown }>(digest);
  const size = (await store.get(digest)).byteLength;
  return { mediaType: doc.mediaType ?? (doc.manifests ? MediaType.index : MediaType.manifest), digest, size };
}

export function canonicalConfig(c: ImageConfig): ImageConfig {
  return prune({
    created: c.created,
    author: c.author,
    architecture: c.architecture,
    os: c.os,
    variant: c.variant,
    config: canonicalContainerConfig(c.config),
    rootfs: { type: 'layers', diff_ids: [...c.rootfs.diff_ids] },
    history: c.history.map((h) =>
      prune({
        created: h.created,
        created_by: h.created_by,
        author: h.author,
        comment: h.comment,
        empty_layer: h.empty_layer || undefined,
      }),
    ),
  });
}

function canonicalContainerConfig(c: ContainerConfig): ContainerConfig {
  return prune({
    User: c.User || undefined,
    ExposedPorts: sortedMap(c.ExposedPorts),
    Env: c.Env?.length ? [...c.Env] : undefined,
    Entrypoint: c.Entrypoint?.length ? [...c.Entrypoint] : undefined,
    Cmd: c.Cmd?.length ? [...c.Cmd] : undefined,
    Volumes: sortedMap(c.Volumes),
    WorkingDir: c.WorkingDir || undefined,
    Labels: sortedMap(c.Labels),
    StopSignal: c.StopSignal || undefined,
    Healthcheck: c.Healthcheck,
    OnBuild: c.OnBuild?.length ? [...c.OnBuild] : undefined,
    Shell: c.Shell?.length ? [...c.Shell] : undefined,
    ArgsEscaped: c.ArgsEscaped || undefined,
  });
}

function sortedMap<V>(map: Record<string, V> | undefined): Record<string, V> | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
