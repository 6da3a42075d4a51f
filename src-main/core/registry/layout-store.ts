/**
 * Blobs persisted as an OCI image layout (`oci-layout`, `blobs/<alg>/<hex>`; the ContentStore on top writes
 * `index.json`), with small blobs also kept in memory so manifests and configs are served without disk
 * reads. Bytes stream into `.uploads/` and are renamed into `blobs/` only after their digest verifies: a
 * blob file is either absent or complete.
 *
 * The folder may be shared with another process (the CLI's `govc build` beside a running server): a blob
 * another process published is found on first `stat`, and on open only uploads of processes that are gone
 * are removed, since the temp files are named after the process that writes them.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDir } from '../fs/atomic';
import { BlobIndex } from './blob-index';
import { cachedRange, cachedSize, joined, type CachedBlob } from './cached-blob';
import { algorithmOf, digestHex, digestOf, isRegistryDigest, parseDigest, type DigestAlgorithm } from './digest';
import { RegistryError } from './errors';
import { LayoutWriter, processAlive, writeTemp } from './layout-writer';
import { mismatch } from './memory-store';
import type { BlobInfo, BlobStore, BlobWriter, ByteRange, StoredAt } from './storage';

export interface LayoutStoreOptions {
  /** Blobs up to this size stay in memory too (LRU within `memoryBudget`). */
  memoryBlobLimit?: number;
  memoryBudget?: number;
  /** fsync blobs before publishing them (off only where a power cut may lose data, e.g. benchmarks). */
  durable?: boolean;
  now?: () => number;
}

const ALGORITHMS: DigestAlgorithm[] = ['sha256', 'sha512'];
/**
 * Recent blobs up to 32 MiB are served from memory: a socket write from a buffer beats reading the file
 * again (Node has no sendfile), and a layer just pushed is often pulled next. The budget bounds the cost.
 */
const DEFAULT_MEMORY_BLOB_LIMIT = 32 * 1024 * 1024;
const DEFAULT_MEMORY_BUDGET = 256 * 1024 * 1024;

export class LayoutBlobStore implements BlobStore {
  readonly persistent = true;
  private readonly index: BlobIndex;
  private readonly cache = new Map<string, CachedBlob>();
  /** Digests a writer is renaming into place: not deletable until it has published them. */
  private readonly publishing = new Map<string, number>();
  private cached = 0;
  readonly uploadsDir: string;
  private readonly memoryBlobLimit: number;
  private readonly memoryBudget: number;
  readonly durable: boolean;

  constructor(
    readonly root: string,
    options: LayoutStoreOptions = {},
  ) {
    this.memoryBlobLimit = options.memoryBlobLimit ?? DEFAULT_MEMORY_BLOB_LIMIT;
    this.memoryBudget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    this.durable = options.durable ?? true;
    this.index = new BlobIndex(options.now ?? Date.now);
    this.uploadsDir = join(root, '.uploads');
    mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
    try {
      statSync(join(root, 'oci-layout'));
    } catch {
      writeFileSync(join(root, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    }
    this.removeOrphanUploads();
    for (const algorithm of ALGORITHMS) {
      const names = listFolder(join(root, 'blobs', algorithm)); // blobs/sha512 appears with the first sha512 blob
      for (const name of names) {
        const digest = `${algorithm}:${name}`;
        if (!isRegistryDigest(digest)) continue;
        const info = statSync(this.path(digest));
        this.index.record(digest, info.size, info.mtimeMs);
      }
    }
  }

  path(digest: string): string {
    return join(this.root, 'blobs', algorithmOf(digest), digestHex(digest));
  }

  stat(digest: string): BlobInfo | undefined {
    return this.index.stat(digest) ?? this.adoptForeign(digest);
  }

  async open(digest: string, range?: ByteRange): Promise<Buffer | Buffer[] | Readable> {
    const size = this.require(digest);
    const cached = this.cache.get(digest);
    if (cached !== undefined) return cachedRange(cached, range);
    if (size <= this.memoryBlobLimit) {
      const data = await this.get(digest);
      return range === undefined ? data : data.subarray(range.start, range.end + 1);
    }
    // Open before answering: a blob deleted afterwards stays readable through this descriptor.
    const handle = await open(this.path(digest), 'r').catch(() => {
      throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in the store`, { digest });
    });
    return handle.createReadStream({
      autoClose: true,
      highWaterMark: 1024 * 1024,
      ...(range === undefined ? {} : { start: range.start, end: range.end }),
    });
  }

  async get(digest: string): Promise<Buffer> {
    this.require(digest);
    const cached = this.cachedBuffer(digest);
    if (cached !== undefined) return cached;
    const data = await readFile(this.path(digest)).catch(() => {
      throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in the store`, { digest });
    });
    return this.verified(digest, data);
  }

  readSync(digest: string): Buffer {
    this.require(digest);
    const cached = this.cachedBuffer(digest);
    if (cached !== undefined) return cached;
    let data: Buffer;
    try {
      data = readFileSync(this.path(digest));
    } catch {
      throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in the store`, { digest });
    }
    return this.verified(digest, data);
  }

  async put(data: Uint8Array, expected?: string): Promise<BlobInfo> {
    const algorithm = expected === undefined ? 'sha256' : algorithmOf(parseDigest(expected));
    const digest = digestOf(data, algorithm);
    if (expected !== undefined && digest !== expected) throw mismatch(expected, digest);
    // Stored already (a re-push, a rebuilt layer): no temp file, no fsync; it counts as stored now.
    if (this.stat(digest) !== undefined) return this.published(digest, data.byteLength, undefined);
    const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const temp = await writeTemp(this, buffer);
    return this.publish(temp, digest, buffer.byteLength, this.shouldCache(buffer.byteLength) ? buffer : undefined);
  }

  writer(algorithm: DigestAlgorithm): BlobWriter {
    return new LayoutWriter(this, algorithm);
  }

  delete(digest: string): boolean {
    if (this.publishing.has(digest)) return false;
    // Synchronous, so a caller's decision to delete and the deletion happen in one turn.
    if (this.index.remove(digest) === undefined) return false;
    this.forget(digest);
    try {
      unlinkSync(this.path(digest));
    } catch {
      /* already gone */
    }
    return true;
  }

  list(): BlobInfo[] {
    return this.index.list();
  }

  bytes(): number {
    return this.index.bytes();
  }

  stored(digest: string): StoredAt | undefined {
    return this.index.stored(digest);
  }

  generation(): number {
    return this.index.generation();
  }

  /**
   * Moves a verified temp file into `blobs/` under its digest (or drops it when the blob is there already)
   * and records it. The digest is marked as publishing throughout, so a GC cannot delete it halfway.
   */
  async publish(temp: string, digest: string, size: number, data: CachedBlob | undefined): Promise<BlobInfo> {
    this.publishing.set(digest, (this.publishing.get(digest) ?? 0) + 1);
    try {
      if (this.stat(digest) !== undefined) {
        rmSync(temp, { force: true });
        return this.published(digest, size, data);
      }
      if (algorithmOf(digest) !== 'sha256')
        mkdirSync(join(this.root, 'blobs', algorithmOf(digest)), { recursive: true });
      // Synchronous like the folder's fsync beside it: a rename is one metadata call, cheaper than the
      // trip through libuv's pool that an async one waits for on a busy machine.
      renameSync(temp, this.path(digest));
      if (this.durable) fsyncFolder(join(this.path(digest), '..'));
      return this.published(digest, size, data);
    } finally {
      const left = this.publishing.get(digest)! - 1;
      if (left === 0) this.publishing.delete(digest);
      else this.publishing.set(digest, left);
    }
  }

  shouldCache(size: number): boolean {
    return size <= this.memoryBlobLimit;
  }

  /** Records a published blob and keeps its bytes (a buffer, or an upload's chunks) in memory when given. */
  private published(digest: string, size: number, data: CachedBlob | undefined): BlobInfo {
    const info = this.index.record(digest, size);
    if (data !== undefined) this.remember(digest, data, size);
    return info;
  }

  /** A blob file another process published after we listed the folder. */
  private adoptForeign(digest: string): BlobInfo | undefined {
    if (!isRegistryDigest(digest)) return undefined;
    try {
      const info = statSync(this.path(digest));
      return info.isFile() ? this.index.record(digest, info.size, info.mtimeMs) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Upload temps are `<pid>.<uuid>`: those of a process that no longer runs can never be finished. */
  private removeOrphanUploads(): void {
    for (const name of listFolder(this.uploadsDir)) {
      const pid = Number(name.split('.')[0]);
      if (!Number.isInteger(pid) || !processAlive(pid)) rmSync(join(this.uploadsDir, name), { force: true });
    }
  }

  private verified(digest: string, data: Buffer): Buffer {
    // A blob changed on disk behind our back must not be served under its old name.
    if (digestOf(data, algorithmOf(digest)) !== digest)
      throw new RegistryError('DIGEST_INVALID', `Blob ${digest} is corrupt on disk`, { digest }, 500);
    this.remember(digest, data);
    return data;
  }

  private require(digest: string): number {
    const info = this.stat(digest);
    if (info === undefined) throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in the store`, { digest });
    return info.size;
  }

  /** A cached blob as one buffer; an upload's chunks are joined (once) for the callers that need that. */
  private cachedBuffer(digest: string): Buffer | undefined {
    const cached = this.cache.get(digest);
    if (cached === undefined || Buffer.isBuffer(cached)) return cached;
    const data = joined(cached);
    this.cache.set(digest, data);
    return data;
  }

  private remember(digest: string, data: CachedBlob, size = cachedSize(data)): void {
    if (size > this.memoryBlobLimit || this.cache.has(digest)) return;
    this.cache.set(digest, data);
    this.cached += size;
    for (const [old, bytes] of this.cache) {
      if (this.cached <= this.memoryBudget) break;
      this.forget(old, bytes);
    }
  }

  private forget(digest: string, data = this.cache.get(digest)): void {
    if (data === undefined) return;
    this.cache.delete(digest);
    this.cached -= cachedSize(data);
  }
}

function listFolder(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function fsyncFolder(dir: string): void {
  try {
    fsyncDir(dir);
  } catch {
    /* some filesystems refuse fsync on a folder; the rename is then as durable as they allow */
  }
}
