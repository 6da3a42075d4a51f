/**
 * Uploads into a LayoutBlobStore: bytes are hashed as they arrive and written to a temp file under
 * `.uploads/` named after this process (so another process sharing the folder leaves it alone); the
 * store publishes the file only after the closing digest verifies.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { algorithmOf, newHash, type DigestAlgorithm } from './digest';
import { RegistryError } from './errors';
import type { LayoutBlobStore } from './layout-store';
import { mismatch } from './memory-store';
import type { BlobInfo, BlobWriter } from './storage';

const FLUSH_BYTES = 1024 * 1024;

async function tempFile(store: LayoutBlobStore): Promise<{ path: string; handle: FileHandle }> {
  await mkdir(store.uploadsDir, { recursive: true });
  const path = join(store.uploadsDir, `${process.pid}.${randomUUID()}`);
  return { path, handle: await open(path, 'w', 0o644) };
}

/** Writes bytes whose digest the caller computed to a temp file, ready for `store.publish`. */
export async function writeTemp(store: LayoutBlobStore, data: Buffer): Promise<string> {
  const { path, handle } = await tempFile(store);
  try {
    await handle.writeFile(data);
    if (store.durable) await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(path, { force: true });
    throw err;
  }
  await handle.close();
  return path;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LayoutWriter implements BlobWriter {
  private readonly hash;
  private temp: string | undefined;
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
    if (this.handle === undefined) {
      const { path, handle } = await tempFile(this.store);
      this.temp = path;
      this.handle = handle;
    }
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
        : await hashFile(this.temp!, algorithm);
    if (actual !== expected) throw mismatch(expected, actual);
    this.done = true;
    await handle.close();
    this.handle = undefined;
    const data = this.small === undefined ? undefined : Buffer.concat(this.small, this.size);
    return this.store.publish(this.temp!, expected, this.size, data);
  }

  async abort(): Promise<void> {
    this.done = true;
    this.pending = [];
    this.small = undefined;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    if (this.temp !== undefined) await rm(this.temp, { force: true });
  }
}

async function hashFile(path: string, algorithm: DigestAlgorithm): Promise<string> {
  const hash = newHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `${algorithm}:${hash.digest('hex')}`;
}
