/**
 * Imports images into the store from an OCI layout folder, an OCI archive, or a docker-archive. Every
 * blob is re-verified against its digest on the way in; docker-archive layers (plain tars) are compressed
 * deterministically and checked against the config's diff_ids.
 */
import { stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { GovcError } from '../../../../src-shared/errors';
import { ContentStore } from '../store/content-store';
import { isDigest, sha256, type Digest } from '../store/digest';
import { gzipDeterministic } from '../layers/tar-writer';
import { readArchive } from './tar-io';
import { MediaType, REF_NAME, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest } from './types';

export interface ImportedImage {
  name?: string;
  descriptor: Descriptor;
}

/** Reads `path` (layout folder, OCI archive or docker-archive), stores its images and tags their names. */
export async function importImages(store: ContentStore, path: string): Promise<ImportedImage[]> {
  if ((await stat(path)).isDirectory()) {
    const source = await ContentStore.open(path);
    return importLayout(store, (d) => source.get(d), source.indexEntries());
  }
  const files = await readArchive(path);
  if (files.has('oci-layout')) {
    const index = JSON.parse(files.get('index.json')?.toString() ?? '{}') as ImageIndex;
    const get = async (d: Digest): Promise<Buffer> => {
      const data = files.get(`blobs/sha256/${d.slice(7)}`);
      if (!data) throw new GovcError('BAD_ARCHIVE', `${path} lacks blob ${d}`);
      return data;
    };
    return importLayout(store, get, index.manifests ?? []);
  }
  if (files.has('manifest.json')) return importDockerArchive(store, files, path);
  throw new GovcError('BAD_ARCHIVE', `${path} is neither an OCI layout nor a docker-archive`);
}

async function importLayout(
  store: ContentStore,
  get: (d: Digest) => Promise<Buffer>,
  entries: Descriptor[],
): Promise<ImportedImage[]> {
  const copy = async (descriptor: Descriptor): Promise<void> => {
    if (!isDigest(descriptor.digest)) throw new GovcError('BAD_ARCHIVE', `Bad digest ${String(descriptor.digest)}`);
    const data = await get(descriptor.digest);
    await store.put(data, descriptor.digest);
    if (descriptor.mediaType === MediaType.manifest || descriptor.mediaType === MediaType.dockerManifest) {
      const manifest = JSON.parse(data.toString()) as ImageManifest;
      for (const child of [manifest.config, ...manifest.layers]) {
        if (!(await store.has(child.digest))) await store.put(await get(child.digest), child.digest);
      }
    } else if (descriptor.mediaType === MediaType.index || descriptor.mediaType === MediaType.dockerManifestList) {
      for (const child of (JSON.parse(data.toString()) as ImageIndex).manifests) await copy(child);
    }
  };
  const imported: ImportedImage[] = [];
  for (const entry of entries) {
    await copy(entry);
    const { annotations, ...descriptor } = entry;
    const name = annotations?.[REF_NAME];
    if (name !== undefined) await store.tag(name, descriptor);
    imported.push(name === undefined ? { descriptor } : { name, descriptor });
  }
  return imported;
}

async function importDockerArchive(
  store: ContentStore,
  files: Map<string, Buffer>,
  path: string,
): Promise<ImportedImage[]> {
  const need = (name: string): Buffer => {
    const data = files.get(name);
    if (!data) throw new GovcError('BAD_ARCHIVE', `${path} lacks ${name}`);
    return data;
  };
  const manifest = JSON.parse(need('manifest.json').toString()) as Array<{
    Config: string;
    RepoTags?: string[] | null;
    Layers: string[];
  }>;
  const imported: ImportedImage[] = [];
  for (const item of manifest) {
    // The config is kept byte for byte, so the image keeps the ID docker and podman know it by.
    const configBytes = need(item.Config);
    const config = JSON.parse(configBytes.toString()) as ImageConfig;
    const layers: Descriptor[] = [];
    for (const [i, layerName] of item.Layers.entries()) {
      const raw = need(layerName);
      const tar = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
      const diffId = sha256(tar);
      if (config.rootfs?.diff_ids?.[i] !== diffId)
        throw new GovcError(
          'DIGEST_MISMATCH',
          `${path}: layer ${layerName} does not match diff_id ${String(config.rootfs?.diff_ids?.[i])}`,
        );
      const blob = await store.put(gzipDeterministic(tar));
      layers.push({ mediaType: MediaType.layerGzip, ...blob });
    }
    const manifestDoc: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.manifest,
      config: { mediaType: MediaType.config, ...(await store.put(configBytes)) },
      layers,
    };
    const descriptor = await store.putJson(manifestDoc, MediaType.manifest);
    for (const tag of item.RepoTags ?? []) {
      await store.tag(tag, descriptor);
      imported.push({ name: tag, descriptor });
    }
    if (!item.RepoTags?.length) imported.push({ descriptor });
  }
  return imported;
}
