/**
 * The registry client: pushes images of the store to any registry (this one or another) and pulls images
 * into it. Blobs move a few at a time, each resumable; manifests are stored and sent byte for byte, so
 * digests survive the trip. Credentials come from the caller, else from the user's docker/podman auth
 * files; registries without auth are used anonymously.
 */
import { GovcError } from '../../../../src-shared/errors';
import type { ContentStore } from '../../build/store/content-store';
import { hostPlatform } from '../../build/oci/image';
import { MediaType, type Descriptor, type ImageIndex, type ImageManifest } from '../../build/oci/types';
import { digestOf, algorithmOf } from '../digest';
import { credentialsFor, type Credentials } from './auth-files';
import { downloadBlob, httpError, uploadBlob, type BlobTarget } from './blobs';
import { BlobProgress, runLimited, type TransferProgress } from './progress';
import { localName, parseReference, referenceOf, type ImageReference } from './reference';
import { RegistryTransport } from './transport';

export interface RegistryClientOptions {
  /** Blobs in flight at once per image (default 3). */
  concurrency?: number;
  /** Uploads larger than this go in chunks of it (default 16 MiB). */
  chunkBytes?: number;
  /** Where auth files are looked up (HOME, XDG_RUNTIME_DIR, REGISTRY_AUTH_FILE); default process.env. */
  env?: NodeJS.ProcessEnv;
  attempts?: number;
  backoffMs?: number;
  authSchemes?: Array<'bearer' | 'basic'>;
  onProgress?: (event: TransferProgress) => void;
}

export interface PullResult {
  /** The name the image has in the store now. */
  name: string;
  descriptor: Descriptor;
}

export interface PushResult {
  digest: string;
  mediaType: string;
  uploaded: number;
  skipped: number;
  mounted: number;
}

const MANIFEST_TYPES = [MediaType.manifest, MediaType.index, MediaType.dockerManifest, MediaType.dockerManifestList];
const INDEX_TYPES: string[] = [MediaType.index, MediaType.dockerManifestList];

export class RegistryClient {
  private readonly transports = new Map<string, RegistryTransport>();
  /** Per registry and blob, a repository known to have it: pushes elsewhere on that registry mount it. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly store: ContentStore,
    private readonly options: RegistryClientOptions = {},
  ) {}

  async pull(reference: string, credentials?: Credentials): Promise<PullResult> {
    const ref = parseReference(reference);
    const from = this.target(ref, 'pull', credentials);
    let { bytes, mediaType, digest } = await this.fetchManifest(from, referenceOf(ref), ref.digest);
    if (INDEX_TYPES.includes(mediaType)) {
      const chosen = pickPlatform(JSON.parse(bytes.toString('utf8')) as ImageIndex, reference);
      ({ bytes, mediaType, digest } = await this.fetchManifest(from, chosen.digest, chosen.digest));
    }
    const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
    const blobs = [manifest.config, ...manifest.layers];
    await runLimited(this.options.concurrency ?? 3, blobs, async (blob) => {
      const progress = new BlobProgress(this.options.onProgress, {
        direction: 'pull',
        reference,
        digest: blob.digest,
        total: blob.size,
      });
      await downloadBlob(this.store.blobs, from, blob.digest, blob.size, progress);
      this.seen.set(`${ref.baseUrl} ${blob.digest}`, ref.repository);
    });
    const stored = await this.store.blobs.put(bytes, digest);
    const descriptor = { mediaType, digest: stored.digest as Descriptor['digest'], size: stored.size };
    const name = localName(ref);
    await this.store.tag(name, descriptor);
    return { name, descriptor };
  }

  /** Pushes a local image (by name) to `destination` (`HOST/REPO:TAG`). */
  async push(localRef: string, destination: string, credentials?: Credentials): Promise<PushResult> {
    const descriptor = this.store.resolve(localRef) ?? this.store.resolve(`${localRef}:latest`);
    if (descriptor === undefined)
      throw new GovcError('IMAGE_NOT_FOUND', `No image named ${localRef} in the local store`, { ref: localRef });
    const ref = parseReference(destination);
    const to = this.target(ref, 'pull,push', credentials);
    const result: PushResult = {
      digest: descriptor.digest,
      mediaType: descriptor.mediaType,
      uploaded: 0,
      skipped: 0,
      mounted: 0,
    };
    const manifests = INDEX_TYPES.includes(descriptor.mediaType)
      ? (await this.store.getJson<ImageIndex>(descriptor.digest)).manifests
      : [];
    // An index's manifests go first (by digest): the registry checks they exist when the index arrives.
    for (const child of manifests) await this.pushManifest(ref, to, child, child.digest, destination, result);
    await this.pushManifest(ref, to, descriptor, referenceOf(ref), destination, result);
    return result;
  }

  private async pushManifest(
    ref: ImageReference,
    to: BlobTarget,
    descriptor: Descriptor,
    reference: string,
    destination: string,
    result: PushResult,
  ): Promise<void> {
    const bytes = await this.store.get(descriptor.digest);
    if (!INDEX_TYPES.includes(descriptor.mediaType)) {
      const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
      await runLimited(this.options.concurrency ?? 3, [manifest.config, ...manifest.layers], async (blob) => {
        const key = `${ref.baseUrl} ${blob.digest}`;
        const mountFrom = this.seen.get(key);
        const how = await uploadBlob(
          this.store.blobs,
          to,
          blob.digest,
          blob.size,
          new BlobProgress(this.options.onProgress, {
            direction: 'push',
            reference: destination,
            digest: blob.digest,
            total: blob.size,
          }),
          {
            chunkBytes: this.options.chunkBytes ?? 16 * 1024 * 1024,
            ...(mountFrom !== undefined && mountFrom !== ref.repository ? { mountFrom } : {}),
          },
        );
        result[how]++;
        this.seen.set(key, ref.repository);
      });
    }
    const res = await to.transport.request(
      `/v2/${ref.repository}/manifests/${reference}`,
      { method: 'PUT', headers: { 'content-type': descriptor.mediaType }, body: bytes },
      to.scopes,
    );
    await res.body?.cancel();
    if (res.status !== 201) throw httpError(res, `PUT manifest ${reference} of ${ref.repository}`);
  }

  private async fetchManifest(
    from: BlobTarget,
    reference: string,
    expected: string | undefined,
  ): Promise<{ bytes: Buffer; mediaType: string; digest: string }> {
    const res = await from.transport.request(
      `/v2/${from.repository}/manifests/${reference}`,
      { headers: { accept: MANIFEST_TYPES.join(', ') } },
      from.scopes,
    );
    if (res.status === 404) {
      await res.body?.cancel();
      throw new GovcError('IMAGE_NOT_FOUND', `No manifest ${reference} in ${from.repository}`, { reference });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw httpError(res, `GET manifest ${reference} of ${from.repository}`);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = expected ?? res.headers.get('docker-content-digest') ?? digestOf(bytes);
    if (digestOf(bytes, algorithmOf(digest)) !== digest)
      throw new GovcError('DIGEST_MISMATCH', `The manifest of ${reference} does not hash to ${digest}`);
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
    const mediaType = declared ?? res.headers.get('content-type')?.split(';')[0] ?? MediaType.manifest;
    return { bytes, mediaType, digest };
  }

  private target(ref: ImageReference, actions: string, credentials: Credentials | undefined): BlobTarget {
    const creds = credentials ?? credentialsFor(ref.host, this.options.env);
    const key = `${ref.baseUrl} ${creds?.username ?? ''} ${creds?.password ?? ''}`;
    let transport = this.transports.get(key);
    if (transport === undefined) {
      transport = new RegistryTransport(ref.baseUrl, {
        ...(creds ? { credentials: creds } : {}),
        ...(this.options.attempts === undefined ? {} : { attempts: this.options.attempts }),
        ...(this.options.backoffMs === undefined ? {} : { backoffMs: this.options.backoffMs }),
        ...(this.options.authSchemes === undefined ? {} : { authSchemes: this.options.authSchemes }),
      });
      this.transports.set(key, transport);
    }
    return { transport, repository: ref.repository, scopes: [`repository:${ref.repository}:${actions}`] };
  }
}

/** The host's linux manifest of an index (os/architecture, then variant when the index names several). */
export function pickPlatform(index: ImageIndex, reference: string): Descriptor {
  const { architecture, os } = hostPlatform();
  const matching = index.manifests.filter((m) => m.platform?.architecture === architecture && m.platform.os === os);
  const chosen = matching.find((m) => m.platform?.variant === undefined || m.platform.variant === 'v8') ?? matching[0];
  if (chosen === undefined)
    throw new GovcError('IMAGE_NOT_FOUND', `${reference} has no ${os}/${architecture} image`, {
      platforms: index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`),
    });
  return chosen;
}
