/**
 * Blobs held in memory only: the store of tests and throwaway engines, and the reference behaviour the
 * on-disk store must match.
 */
import type { Readable } from 'node:stream';
import { BlobIndex } from './blob-index';
import { algorithmOf, digestOf, newHash, parseDigest, type DigestAlgorithm } from './digest';
import { RegistryError } from './errors';
import type { BlobInfo, BlobStore, BlobWriter, ByteRange, StoredAt } from './storage';

export class MemoryBlobStore implements BlobStore {
  readonly persistent = false;
  private readonly blobs = new Map<string, Buffer>();
  private readonly index: BlobIndex;

  constructor(now: () => number = Date.now) {
    this.index = new BlobIndex(now);
  }

  stat(digest: string): BlobInfo | undefined {
    return this.index.stat(digest);
  }

  async open(digest: string, range?: ByteRange): Promise<Buffer | Readable> {
    const data = await this.get(digest);
    // A view, not a copy: the socket write holds the stored buffer until it is sent.
    return range === undefined ? data : data.subarray(range.start, range.end + 1);
  }

  async get(digest: string): Promise<Buffer> {
    return this.readSync(digest);
  }

  readSync(digest: string): Buffer {
    const data = this.blobs.get(digest);
    if (data === undefined) throw new RegistryError('BLOB_UNKNOWN', `Blob ${digest} is not in the store`, { digest });
    return data;
  }

  async put(data: Uint8Array, expected?: string): Promise<BlobInfo> {
    const algorithm = expected === undefined ? 'sha256' : algorithmOf(parseDigest(expected));
    const digest = digestOf(data, algorithm);
    if (expected !== undefined && expected !== digest) throw mismatch(expected, digest);
    return this.adopt(digest, this.blobs.has(digest) ? undefined : Buffer.from(data));
  }

  writer(algorithm: DigestAlgorithm): BlobWriter {
    return new MemoryWriter(this, algorithm);
  }

  delete(digest: string): boolean {
    if (this.index.remove(digest) === undefined) return false;
    this.blobs.delete(digest);
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

  /** Publishes verified bytes; a blob already present is kept (stored once) and counts as stored now. */
  adopt(digest: string, data: Buffer | undefined): BlobInfo {
    if (!this.blobs.has(digest)) {
      if (data === undefined) throw new Error(`adopt(${digest}) without its bytes`);
      this.blobs.set(digest, data);
    }
    return this.index.record(digest, this.blobs.get(digest)!.byteLength);
  }
}

class MemoryWriter implements BlobWriter {
  private chunks: Buffer[] = [];
  private readonly hash;
  size = 0;
  private done = false;

  constructor(
    private readonly store: MemoryBlobStore,
    readonly algorithm: DigestAlgorithm,
  ) {
    this.hash = newHash(algorithm);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.done) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'This upload is finished');
    // The request's chunk buffers may be reused by the caller: keep our own copy.
    const copy = Buffer.from(chunk);
    this.chunks.push(copy);
    this.hash.update(copy);
    this.size += copy.byteLength;
  }

  async commit(expected: string): Promise<BlobInfo> {
    if (this.done) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'This upload is finished');
    const algorithm = algorithmOf(expected);
    let actual: string;
    if (algorithm === this.algorithm) actual = `${algorithm}:${this.hash.copy().digest('hex')}`;
    else {
      const other = newHash(algorithm);
      for (const chunk of this.chunks) other.update(chunk);
      actual = `${algorithm}:${other.digest('hex')}`;
    }
    if (actual !== expected) throw mismatch(expected, actual);
    this.done = true;
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    return this.store.adopt(expected, data);
  }

  async abort(): Promise<void> {
    this.done = true;
    this.chunks = [];
  }
}

export function mismatch(expected: string, actual: string): RegistryError {
  return new RegistryError('DIGEST_INVALID', `The content hashes to ${actual}, not ${expected}`, { expected, actual });
}
