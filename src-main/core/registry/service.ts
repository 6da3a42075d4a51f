/**
 * The OCI registry of the engine, transport-free: the HTTP layer (src-main/server/registry) maps the
 * distribution spec's routes onto these methods. Its bytes and index.json belong to a ContentStore: the
 * engine's one store, shared with the build engine (`store`), or one of its own (`persist` with `root`: an
 * OCI image layout folder; neither: memory).
 */
import type { Readable } from 'node:stream';
import { ContentStore } from '../build/store/content-store';
import type { EventBus } from '../events/bus';
import { algorithmOf, digestOf, isRegistryDigest, parseDigest, type DigestAlgorithm } from './digest';
import { RegistryError } from './errors';
import type { LayoutStoreOptions } from './layout-store';
import { parseManifest } from './manifest';
import { isTag, parseRepositoryName } from './names';
import { loadIndex, loadSettings, saveIndex, saveSettings } from './persistence';
import { RepositoryIndex, manifestRecord, type ManifestRecord } from './repositories';
import type { BlobInfo, BlobStore, ByteRange } from './storage';
import { RegistryTokens } from './tokens';
import { UploadSessions, type UploadSession } from './uploads';
import { referrersIndex } from './referrers';

export interface RegistryOptions {
  /** The engine's store, shared with the build engine; `root`, `persist` and `layout` then do not apply. */
  store?: ContentStore;
  /** The OCI layout folder of a registry with a store of its own; required with `persist`. */
  root?: string;
  persist?: boolean;
  layout?: LayoutStoreOptions;
  /** Unreferenced blobs younger than this survive a GC: their push may still be under way. */
  gcGraceMs?: number;
  /** Upload sessions idle longer than this are aborted by the GC. */
  uploadTtlMs?: number;
  bus?: EventBus;
  now?: () => number;
}

export interface GcReport {
  removed: string[];
  freedBytes: number;
  uploadsExpired: number;
}

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const HOUR = 3600 * 1000;

export class RegistryService {
  /** Where the bytes are: the lower layer of `content`. */
  readonly store: BlobStore;
  readonly content: ContentStore;
  readonly repos: RepositoryIndex;
  readonly uploads: UploadSessions;
  readonly tokens: RegistryTokens;
  /** Problems met while loading persisted metadata (skipped entries), for the log. */
  readonly loadProblems: string[] = [];
  private readonly anonymous = new Set<string>();
  private readonly root: string | undefined;
  private readonly gcGraceMs: number;
  private readonly uploadTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RegistryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.gcGraceMs = options.gcGraceMs ?? HOUR;
    this.uploadTtlMs = options.uploadTtlMs ?? HOUR;
    this.repos = new RepositoryIndex(this.now);
    this.tokens = new RegistryTokens(this.now);
    if (options.store !== undefined) this.content = options.store;
    else if (options.persist) {
      if (options.root === undefined) throw new Error('A persistent registry needs a root folder');
      this.content = ContentStore.openSync(options.root, {
        now: this.now,
        ...(options.layout?.durable === undefined ? {} : { durable: options.layout.durable }),
        ...(options.layout?.memoryBudget === undefined ? {} : { memoryBudgetBytes: options.layout.memoryBudget }),
      });
    } else this.content = ContentStore.inMemory({ now: this.now });
    this.store = this.content.blobs;
    this.root = this.content.dir;
    if (this.root !== undefined) {
      this.loadProblems.push(...loadIndex(this.content, this.repos));
      for (const repo of loadSettings(this.root).anonymousPull) this.anonymous.add(repo);
    }
    // Whatever a repository holds is a root of every GC of the shared store, whoever starts it.
    this.content.addRoots(() => this.liveDigests());
    this.uploads = new UploadSessions(this.store, this.now);
  }

  get persistent(): boolean {
    return this.root !== undefined;
  }

  /** A blob the repository may serve: uploaded to it, mounted into it, or referenced by its manifests. */
  blob(repo: string, digest: string): BlobInfo {
    const info = this.repos.isLinked(repo, digest) ? this.store.stat(digest) : undefined;
    if (info === undefined) throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in ${repo}`, { digest });
    return info;
  }

  openBlob(repo: string, digest: string, range?: ByteRange): Promise<Buffer | Buffer[] | Readable> {
    this.blob(repo, digest);
    return this.store.open(digest, range);
  }

  startUpload(repo: string, algorithm: DigestAlgorithm = 'sha256'): UploadSession {
    parseRepositoryName(repo);
    return this.uploads.open(repo, algorithm);
  }

  /**
   * Verifies and publishes an upload, and links the blob to the repository in the same turn of the event
   * loop, so no GC can slip between the blob appearing and its repository holding it.
   */
  async finishUpload(session: UploadSession, digest: string): Promise<BlobInfo> {
    parseDigest(digest);
    let info: BlobInfo;
    try {
      info = await session.writer.commit(digest);
    } catch (err) {
      await this.uploads.close(session, true);
      throw err;
    }
    this.repos.link(session.repo, digest);
    await this.uploads.close(session, false);
    return info;
  }

  /** Links a blob of `from` into `repo` without copying it; undefined when `from` has no such blob. */
  mount(repo: string, digest: string, from: string): BlobInfo | undefined {
    parseDigest(digest);
    if (!this.repos.isLinked(from, digest)) return undefined;
    const info = this.store.stat(digest);
    if (info === undefined) return undefined;
    this.repos.link(repo, digest);
    return info;
  }

  deleteBlob(repo: string, digest: string): void {
    parseDigest(digest);
    if (!this.repos.unlink(repo, digest)) throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in ${repo}`);
  }

  /** Resolves a tag or digest to the repository's manifest record. */
  manifest(repo: string, reference: string): ManifestRecord {
    const repository = this.repos.get(repo);
    if (repository === undefined) throw new RegistryError('NAME_UNKNOWN', `No repository ${repo}`, { name: repo });
    const digest = isRegistryDigest(reference) ? reference : repository.tags.get(reference);
    const record = digest === undefined ? undefined : repository.manifests.get(digest);
    if (record === undefined)
      throw new RegistryError('MANIFEST_UNKNOWN', `No manifest ${reference} in ${repo}`, { reference });
    return record;
  }

  async getManifest(repo: string, reference: string): Promise<{ record: ManifestRecord; bytes: Buffer }> {
    const record = this.manifest(repo, reference);
    return { record, bytes: await this.store.get(record.digest) };
  }

  async putManifest(
    repo: string,
    reference: string,
    bytes: Buffer,
    contentType: string | undefined,
    actor?: string,
  ): Promise<ManifestRecord> {
    parseRepositoryName(repo);
    const byDigest = reference.includes(':');
    if (byDigest) parseDigest(reference);
    else if (!isTag(reference))
      throw new RegistryError('MANIFEST_INVALID', `Invalid tag ${reference.slice(0, 130)}`, { tag: reference });
    if (bytes.byteLength > MAX_MANIFEST_BYTES)
      throw new RegistryError('MANIFEST_INVALID', 'The manifest is larger than 4 MiB', undefined, 413);
    const digest = byDigest ? reference : digestOf(bytes, 'sha256');
    if (byDigest && digestOf(bytes, algorithmOf(reference)) !== reference)
      throw new RegistryError('DIGEST_INVALID', `The manifest does not hash to ${reference}`, { digest: reference });
    const parsed = parseManifest(bytes, contentType);
    await this.store.put(bytes, digest);
    // From here to addManifest: no await, so references checked are references held.
    const repository = this.repos.get(repo);
    for (const blob of parsed.blobs) {
      const info = this.repos.isLinked(repo, blob) ? this.store.stat(blob) : undefined;
      if (info === undefined)
        throw new RegistryError('MANIFEST_BLOB_UNKNOWN', `Blob ${blob} is not in ${repo}`, { digest: blob });
      if (info.size !== parsed.sizes.get(blob))
        throw new RegistryError(
          'MANIFEST_INVALID',
          `Blob ${blob} has ${info.size} bytes, the manifest says ${parsed.sizes.get(blob)}`,
        );
    }
    for (const child of parsed.manifests) {
      if (repository?.manifests.has(child) !== true)
        throw new RegistryError('MANIFEST_BLOB_UNKNOWN', `Manifest ${child} is not in ${repo}`, { digest: child });
    }
    const record = manifestRecord(digest, bytes.byteLength, parsed);
    this.repos.addManifest(repo, record, byDigest ? undefined : reference);
    this.saveIndex();
    this.options.bus?.emit(
      'registry.push',
      { repository: repo, reference, digest, media_type: record.mediaType },
      { repo, ...(actor === undefined ? {} : { actor }) },
    );
    return record;
  }

  /** By digest: removes the manifest and its tags. By tag: removes the tag only. */
  deleteManifest(repo: string, reference: string): void {
    if (this.repos.get(repo) === undefined) throw new RegistryError('NAME_UNKNOWN', `No repository ${repo}`);
    const removed = isRegistryDigest(reference)
      ? this.repos.removeManifest(repo, reference)
      : this.repos.removeTag(repo, reference);
    if (!removed) throw new RegistryError('MANIFEST_UNKNOWN', `No manifest ${reference} in ${repo}`);
    this.saveIndex();
  }

  pulled(repo: string, reference: string, digest: string, actor?: string): void {
    this.options.bus?.emit(
      'registry.pull',
      { repository: repo, reference, digest },
      { repo, ...(actor === undefined ? {} : { actor }) },
    );
  }

  tags(repo: string): string[] {
    const repository = this.repos.get(repo);
    if (repository === undefined) throw new RegistryError('NAME_UNKNOWN', `No repository ${repo}`, { name: repo });
    return [...repository.tags.keys()].sort();
  }

  catalog(): string[] {
    return this.repos.names();
  }

  referrers(repo: string, digest: string, artifactType?: string): Record<string, unknown> {
    parseDigest(digest);
    return referrersIndex(this.repos.get(repo), digest, artifactType);
  }

  anonymousPull(repo: string): boolean {
    return this.anonymous.has(repo);
  }

  setAnonymousPull(repo: string, enabled: boolean): void {
    parseRepositoryName(repo);
    if (enabled) this.anonymous.add(repo);
    else this.anonymous.delete(repo);
    if (this.root !== undefined) saveSettings(this.root, { anonymousPull: [...this.anonymous].sort() });
  }

  anonymousRepositories(): string[] {
    return [...this.anonymous].sort();
  }

  /**
   * Aborts upload sessions idle past their TTL, forgets links no manifest holds that are older than the
   * grace period (blobs of pushes that never completed), then runs the shared store's GC: it keeps what
   * any repository, local image or other root (the build cache) references, and blobs stored within the
   * grace period. Blobs are published and linked in one turn and the GC deletes in one synchronous pass,
   * so neither a push under way nor a finished one loses data.
   */
  async gc(options: { graceMs?: number } = {}): Promise<GcReport> {
    const now = this.now();
    const uploadsExpired = await this.uploads.expire(now - this.uploadTtlMs);
    const graceMs = options.graceMs ?? this.gcGraceMs;
    this.repos.pruneLinks(now - graceMs);
    const { removed, freedBytes } = await this.content.gc([], { graceMs });
    return { removed, freedBytes, uploadsExpired };
  }

  /** Every digest the registry holds: roots for the GC of a store shared with the build engine. */
  liveDigests(): Set<string> {
    const live = new Set<string>();
    for (const repo of this.repos.all()) {
      for (const digest of repo.links.keys()) live.add(digest);
      for (const record of repo.manifests.values()) live.add(record.digest);
    }
    return live;
  }

  private saveIndex(): void {
    saveIndex(this.content, this.repos);
  }
}
