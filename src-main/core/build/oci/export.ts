/**
 * Exports images from the store in the formats other tools load: an OCI image layout (folder, or tar as
 * `oci-archive`), and a docker-archive (`docker save` format, for `docker load` / `podman load`).
 */
import { gunzipSync } from 'node:zlib';
import { GovcError } from '../../../../src-shared/errors';
import { ContentStore } from '../store/content-store';
import { digestHex, type Digest } from '../store/digest';
import type { StoredImage } from './image';
import { writeArchive, type ArchiveFile } from './tar-io';
import { MediaType, REF_NAME, type Descriptor, type ImageIndex } from './types';

export interface NamedImage {
  /** The ref.name (OCI) or repo tag (docker); an image may also go unnamed. */
  name?: string;
  image: StoredImage;
}

function blobsOf(image: StoredImage): Descriptor[] {
  return [image.descriptor, image.manifest.config, ...image.manifest.layers];
}

/** Copies the images' blobs into an OCI layout folder (created or extended) and names them there. */
export async function exportOciLayout(store: ContentStore, images: NamedImage[], dest: string): Promise<void> {
  const target = await ContentStore.open(dest);
  for (const { name, image } of images) {
    for (const blob of blobsOf(image)) {
      if (!(await target.has(blob.digest))) await target.put(await store.get(blob.digest), blob.digest);
    }
    if (name !== undefined) await target.tag(name, image.descriptor);
  }
}

/** The same layout as a single tar (skopeo's `oci-archive:`), byte-identical for the same images. */
export async function exportOciArchive(store: ContentStore, images: NamedImage[], dest: string): Promise<void> {
  const blobs = new Map<Digest, Descriptor>();
  for (const { image } of images) for (const blob of blobsOf(image)) blobs.set(blob.digest, blob);
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.index,
    manifests: images.map(({ name, image }) =>
      name === undefined ? image.descriptor : { ...image.descriptor, annotations: { [REF_NAME]: name } },
    ),
  };
  const files: ArchiveFile[] = [
    { name: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { name: 'index.json', data: Buffer.from(JSON.stringify(index)) },
    ...[...blobs.keys()]
      .sort()
      .map((digest) => ({ name: `blobs/sha256/${digestHex(digest)}`, data: () => store.get(digest) })),
  ];
  await writeArchive(dest, files);
}

/**
 * The classic `docker save` layout: `manifest.json`, the config as `<hex>.json`, and each layer as an
 * uncompressed `<diffid>/layer.tar`, which every docker and podman version loads.
 */
export async function exportDockerArchive(store: ContentStore, images: NamedImage[], dest: string): Promise<void> {
  const byImage = new Map<Digest, { image: StoredImage; tags: string[] }>();
  for (const { name, image } of images) {
    const entry = byImage.get(image.descriptor.digest) ?? { image, tags: [] };
    if (name !== undefined) entry.tags.push(dockerTag(name));
    byImage.set(image.descriptor.digest, entry);
  }
  const files: ArchiveFile[] = [];
  const written = new Set<string>();
  const manifest: Array<{ Config: string; RepoTags: string[] | null; Layers: string[] }> = [];
  for (const { image, tags } of byImage.values()) {
    const configName = `${digestHex(image.manifest.config.digest)}.json`;
    const layerNames = image.manifest.layers.map((layer, i) => {
      const diffId = image.config.rootfs.diff_ids[i];
      if (!diffId) throw new GovcError('BAD_IMAGE', `Image ${image.descriptor.digest} has fewer diff_ids than layers`);
      const name = `${digestHex(diffId)}/layer.tar`;
      if (!written.has(name)) {
        written.add(name);
        files.push({ name, data: async () => uncompressed(await store.get(layer.digest), layer.mediaType) });
      }
      return name;
    });
    if (!written.has(configName)) {
      written.add(configName);
      files.push({ name: configName, data: () => store.get(image.manifest.config.digest) });
    }
    manifest.push({ Config: configName, RepoTags: tags.length > 0 ? tags : null, Layers: layerNames });
  }
  files.unshift({ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) });
  await writeArchive(dest, files);
}

function uncompressed(data: Buffer, mediaType: string): Buffer {
  return mediaType.endsWith('gzip') || (data[0] === 0x1f && data[1] === 0x8b) ? gunzipSync(data) : data;
}

/** Docker wants `repo:tag`; a bare name means `:latest`. */
export function dockerTag(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  return name.indexOf(':', lastSlash + 1) === -1 ? `${name}:latest` : name;
}
