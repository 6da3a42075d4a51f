/**
 * A repository as a person inspects it: each tag's manifest with its media type, its own size and the
 * size of what it pulls in (config + layers, or an index's platform manifests), and the referrers that
 * name it as their subject. Sizes are the ones the descriptors declare; the registry checked them against
 * the stored blobs when the manifest was pushed, so they need no blob reads.
 */
import { GovcError } from '../../../src-shared/errors';
import { MANIFEST_TYPES } from './manifest';
import type { ManifestRecord, Repository } from './repositories';

export interface ReferrerDetails {
  digest: string;
  media_type: string;
  artifact_type?: string;
  size: number;
  annotations: Record<string, string>;
}

export interface PlatformManifestDetails {
  digest: string;
  media_type: string;
  platform?: string;
  size: number;
  content_size?: number;
  present: boolean;
}

export interface ManifestDetails {
  digest: string;
  media_type: string;
  kind: 'image' | 'index';
  size: number;
  content_size: number;
  layers: number;
  artifact_type?: string;
  manifests: PlatformManifestDetails[];
  referrers: ReferrerDetails[];
}

export interface RepositoryDetails {
  name: string;
  tags: Array<{ tag: string; manifest: ManifestDetails }>;
  untagged: number;
}

/** Reads a stored manifest's bytes (the registry's blob store). */
export type ManifestReader = (digest: string) => Promise<Buffer>;

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

interface Document {
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

const INDEX_TYPES = new Set<string>([MANIFEST_TYPES.ociIndex, MANIFEST_TYPES.dockerList]);

export async function describeRepository(repo: Repository | undefined, read: ManifestReader, name: string) {
  if (repo === undefined) {
    throw new GovcError('NOT_FOUND', `The registry has no repository ${name}: push an image to it first`, { name });
  }
  const tagged = new Set(repo.tags.values());
  const tags: RepositoryDetails['tags'] = [];
  for (const [tag, digest] of [...repo.tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const record = repo.manifests.get(digest);
    if (record !== undefined) tags.push({ tag, manifest: await describeManifest(repo, record, read) });
  }
  const untagged = [...repo.manifests.keys()].filter((d) => !tagged.has(d)).length;
  return { name: repo.name, tags, untagged } satisfies RepositoryDetails;
}

async function describeManifest(repo: Repository, record: ManifestRecord, read: ManifestReader) {
  const doc = await readDocument(read, record.digest);
  const index = INDEX_TYPES.has(record.mediaType);
  const manifests = index ? await platformsOf(repo, doc, read) : [];
  const details: ManifestDetails = {
    digest: record.digest,
    media_type: record.mediaType,
    kind: index ? 'index' : 'image',
    size: record.size,
    content_size: index ? manifests.reduce((sum, m) => sum + (m.content_size ?? 0), 0) : contentSize(doc),
    layers: index ? 0 : (doc.layers?.length ?? 0),
    ...(record.artifactType === undefined ? {} : { artifact_type: record.artifactType }),
    manifests,
    referrers: referrersOf(repo, record.digest),
  };
  return details;
}

async function platformsOf(repo: Repository, doc: Document, read: ManifestReader) {
  const out: PlatformManifestDetails[] = [];
  for (const child of doc.manifests ?? []) {
    const digest = String(child.digest);
    const present = repo.manifests.has(digest);
    const platform = platformName(child.platform);
    out.push({
      digest,
      media_type: String(child.mediaType),
      ...(platform === undefined ? {} : { platform }),
      size: Number(child.size),
      // A nested index counts as its own manifest only: one level is what a person reads here.
      ...(present ? { content_size: contentSize(await readDocument(read, digest)) } : {}),
      present,
    });
  }
  return out;
}

function platformName(platform: Descriptor['platform']): string | undefined {
  if (platform?.os === undefined || platform.architecture === undefined) return undefined;
  return [platform.os, platform.architecture, platform.variant].filter((p) => p !== undefined && p !== '').join('/');
}

function contentSize(doc: Document): number {
  const blobs = [...(doc.config === undefined ? [] : [doc.config]), ...(doc.layers ?? [])];
  return blobs.reduce((sum, d) => sum + (typeof d.size === 'number' ? d.size : 0), 0);
}

function referrersOf(repo: Repository, subject: string): ReferrerDetails[] {
  const out: ReferrerDetails[] = [];
  for (const record of repo.manifests.values()) {
    if (record.subject !== subject) continue;
    out.push({
      digest: record.digest,
      media_type: record.mediaType,
      ...(record.artifactType === undefined ? {} : { artifact_type: record.artifactType }),
      size: record.size,
      annotations: record.annotations ?? {},
    });
  }
  return out.sort((a, b) => (a.digest < b.digest ? -1 : 1));
}

/** Manifests were parsed and validated on push, so their stored bytes are trusted JSON. */
async function readDocument(read: ManifestReader, digest: string): Promise<Document> {
  return JSON.parse((await read(digest)).toString('utf8')) as Document;
}
