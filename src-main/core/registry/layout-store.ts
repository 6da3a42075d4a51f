/**
 * Blobs persisted as an OCI image layout (`oci-layout`, `blobs/<alg>/<hex>`; the registry writes
 * `index.json`), with small blobs also kept in memory so manifests and configs are served without disk
 * reads. Uploads stream into `.uploads/` and are renamed into `blobs/` only after their digest verifies:
 * a blob file is either absent or complete. Leftover uploads of a previous run are removed on open.
 */
import { createReadStream, mkdirSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDir } from '../fs/atomic';
import {
  algorithmOf,
  digestHex,
  digestOf,
  isRegistryDigest,
  newHash,
  parseDigest,
  type DigestAlgorithm,
} from './digest';
import { RegistryError } from './errors';
import { mismatch } from './memory-store';
import type { BlobInfo, BlobStore, BlobWriter, ByteRange } from './storage';

export interface LayoutStoreOptions {
  /** Blobs up to this size stay in memory too (LRU within `memoryBudget`). */
  memoryBlobLimit?: number;
  memoryBudget?: number;
  /** fsync blobs before publishing them (off only where a power cut may lose data, e.g. benchmarks). */
  durable?: boolean;
}

const ALGORITHMS: DigestAlgorithm[] = ['sha256', 'sha512'];
const FLUSH_BYTES = 1024 * 1024;
/**
 * Recent blobs up to 32 MiB are served from memory: a socket write from a buffer beats reading the file
 * again (Node has no sendfile), and a layer just pushed is often pulled next. The budget bounds the cost.
 */
const DEFAULT_MEMORY_BLOB_LIMIT = 32 * 1024 * 1024;
const DEFAULT_MEMORY_BUDGET = 256 * 1024 * 1024;

export class LayoutBlobStore implements BlobStore {
  readonly persistent = true;
  private readonly sizes = new Map<string, number>();
  private readonly cache = new Map<string, Buffer>();
  private cached = 0;
  private total = 0;
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
    this.uploadsDir = join(root, '.uploads');
    for (const algorithm of ALGORITHMS) mkdirSync(join(root, 'blobs', algorithm), { recursive: true });
    rmSync(this.uploadsDir, { recursive: true, force: true });
    mkdirSync(this.uploadsDir, { recursive: true });
    try {
      statSync(join(root, 'oci-layout'));
    } catch {
      writeFileSync(join(root, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    }
    for (const algorithm of ALGORITHMS) {
      for (const name of readdirSync(join(root, 'blobs', algorithm))) {
        const digest = `${algorithm}:${name}`;
        if (!isRegistryDigest(digest)) continue;
        const size = statSync(this.path(digest)).size;
        this.sizes.set(digest, size);
        this.total += size;
      }
    }
  }

  path(digest: string): string {
    return join(this.root, 'blobs', algorithmOf(digest), digestHex(digest));
  }

  stat(digest: string): BlobInfo | undefined {
    const size = this.sizes.get(digest);
    return size === undefined ? undefined : { digest, size };
  }

  async open(digest: string, range?: ByteRange): Promise<Buffer | Readable> {
    const size = this.require(digest);
    const cached = this.cache.get(digest);
    if (cached !== undefined) return range === undefined ? cached : cached.subarray(range.start, range.end + 1);
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
    const cached = this.cache.get(digest);
    if (cached !== undefined) return cached;
    const data = await readFile(this.path(digest)).catch(() => {
      throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in the store`, { digest });
    });
    this.remember(digest, data);
    return data;
  }

  async put(data: Uint8Array, expected?: string): Promise<BlobInfo> {
    const algorithm = expected === undefined ? 'sha256' : algorithmOf(parseDigest(expected));
    const digest = digestOf(data, algorithm);
    if (expected !== undefined && digest !== expected) throw mismatch(expected, digest);
    // Stored already (a re-push): no temp file, no fsync.
    const existing = this.stat(digest);
    if (existing !== undefined) return existing;
    const writer = this.writer(algorithm);
    await writer.write(data);
    return writer.commit(digest).catch(async (err: unknown) => {
      await writer.abort();
      throw err;
    });
  }

  writer(algorithm: DigestAlgorithm): BlobWriter {
    return new LayoutWriter(this, algorithm);
  }

  delete(digest: string): boolean {
    const size = this.sizes.get(digest);
    if (size === undefined) return false;
    // Synchronous, so a caller's decision to delete and the deletion happen in one turn.
    this.sizes.delete(digest);
    this.total -= size;
    this.forget(digest);
    try {
      unlinkSync(this.path(digest));
    } catch {
      /* already gone */
    }
    return true;
  }

  list(): BlobInfo[] {
    return [...this.sizes].map(([digest, size]) => ({ digest, size }));
  }

  bytes(): number {
    return this.total;
  }

  /** Records a blob whose file is now in place; returns what is stored under the digest. */
  published(digest: string, size: number, data: Buffer | undefined): BlobInfo {
    if (!this.sizes.has(digest)) {
      this.sizes.set(digest, size);
      this.total += size;
    }
    if (data !== undefined) this.remember(digest, data);
    return { digest, size: this.sizes.get(digest)! };
  }

  shouldCache(size: number): boolean {
    return size <= this.memoryBlobLimit;
  }

  private require(digest: string): number {
    const size = this.sizes.get(digest);
    if (size === undefined) throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in the store`, { digest });
    return size;
  }

  private remember(digest: string, data: Buffer): void {
    if (data.byteLength > this.memoryBlobLimit || this.cache.has(digest)) return;
    this.cache.set(digest, data);
    this.cached += data.byteLength;
    for (const [old, bytes] of this.cache) {
      if (this.cached <= this.memoryBudget) break;
      this.forget(old, bytes);
    }
  }

  private forget(digest: string, data = this.cache.get(digest)): void {
    if (data === undefined) return;
    this.cache.delete(digest);
    this.cached -= data.byteLength;
  }
}

class LayoutWriter implements BlobWriter {
  private readonly hash;
  private readonly temp: string;
  private handle: FileHandle | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** A copy of small uploads, so the published blob is cached without reading it back. */
  private small: Buffer[] | undefined = [];
  size = 0;
  private done = false;

  constructor(
    private readonly store: LayoutBlobStore,
    readonly algorithm: DigestAlgorithm,
  ) {
    this.hash = newHash(algorithm);
    this.temp = join(store.uploadsDir, randomUUID());
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.done) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'This upload is finished');
    // Request bodies hand out fresh buffers; anything else is copied, since we keep it until the flush.
    const copy = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    this.hash.update(copy);
    this.size += copy.byteLength;
    this.pending.push(copy);
    this.pendingBytes += copy.byteLength;
    if (this.small !== undefined) {
      if (this.store.shouldCache(this.size)) this.small.push(copy);
      else this.small = undefined;
    }
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    this.handle ??= await open(this.temp, 'w', 0o644);
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (chunks.length > 0) await this.handle.writev(chunks);
  }

  async commit(expected: string): Promise<BlobInfo> {
    if (this.done) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'This upload is finished');
    await this.flush();
    const handle = this.handle!;
    if (this.store.durable) await handle.sync();
    const algorithm = algorithmOf(expected);
    const actual =
      algorithm === this.algorithm
        ? `${algorithm}:${this.hash.copy().digest('hex')}`
        : await hashFile(this.temp, algorithm);
    if (actual !== expected) throw mismatch(expected, actual);
    this.done = true;
    await handle.close();
    this.handle = undefined;
    const data = this.small === undefined ? undefined : Buffer.concat(this.small, this.size);
    if (this.store.stat(expected) !== undefined) {
      await rm(this.temp, { force: true });
      return this.store.published(expected, this.size, data);
    }
    await rename(this.temp, this.store.path(expected));
    if (this.store.durable) fsyncDir(join(this.store.path(expected), '..'));
    return this.store.published(expected, this.size, data);
  }

  async abort(): Promise<void> {
    this.done = true;
    this.pending = [];
    this.small = undefined;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}

async function hashFile(path: string, algorithm: DigestAlgorithm): Promise<string> {
  const hash = newHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `${algorithm}:${hash.digest('hex')}`;
}
