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
/** Bytes received while a disk write is under way before the socket is made to wait (back-pressure). */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;
/** Written bytes after which a durable writer starts flushing them to disk in the background. */
const SYNC_AHEAD_BYTES = 8 * 1024 * 1024;

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

/**
 * Receiving, writing and syncing overlap: a chunk is hashed and queued at once, the queue goes to the temp
 * file in the background (one write at a time, 1 MiB or more each), and a durable writer asks the disk to
 * sync what is written every 8 MiB without waiting for it. The sync before publishing is still done and
 * awaited in `commit`; the early ones only leave it less to flush, so a large push no longer ends with
 * one long fsync of the whole blob. A failed background write or sync is remembered and fails the commit
 * (an fsync error is reported once only, so it must not be lost).
 */
export class LayoutWriter implements BlobWriter {
  private readonly hash;
  private temp: string | undefined;
  private handle: FileHandle | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The disk write under way, if any. */
  private writing: Promise<void> | undefined;
  /** The background sync under way, if any. */
  private syncing: Promise<void> | undefined;
  private unsynced = 0;
  private failure: unknown;
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
    this.throwIfFailed();
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
    if (this.pendingBytes < FLUSH_BYTES) return;
    if (this.writing === undefined) this.startWrite();
    // The disk is behind the socket: wait for it rather than hold an unbounded amount in memory.
    else if (this.pendingBytes >= MAX_PENDING_BYTES) await this.drain();
  }

  private startWrite(): void {
    const chunks = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = (async () => {
      if (this.handle === undefined) {
        const { path, handle } = await tempFile(this.store);
        this.temp = path;
        this.handle = handle;
      }
      if (chunks.length > 0) await this.handle.writev(chunks);
      this.unsynced += bytes;
      if (this.store.durable && this.unsynced >= SYNC_AHEAD_BYTES && this.syncing === undefined) this.syncAhead();
    })()
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.writing = undefined;
        // What arrived meanwhile goes next, so the disk stays busy while the socket is read.
        if (this.failure === undefined && !this.done && this.pendingBytes >= FLUSH_BYTES) this.startWrite();
      });
  }

  private syncAhead(): void {
    this.unsynced = 0;
    this.syncing = this.handle!.datasync()
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.syncing = undefined;
      });
  }

  settle(): Promise<void> {
    return this.drain();
  }

  /** Waits until every byte received so far is written to the temp file. */
  private async drain(): Promise<void> {
    while (this.writing !== undefined || this.pendingBytes > 0) {
      if (this.writing === undefined) this.startWrite();
      await this.writing;
      this.throwIfFailed();
    }
    if (this.handle === undefined) this.startWrite(); // an empty blob still gets its (empty) file
    await this.writing;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  async commit(expected: string): Promise<BlobInfo> {
    if (this.done) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'This upload is finished');
    await this.drain();
    const handle = this.handle!;
    // fsync makes every byte written before it durable, whatever a background datasync still does; both
    // are awaited so that an error of either fails the commit. Each await is a trip through libuv's pool,
    // which on a busy machine costs more than the call itself: hence the parallel waits and the close
    // after publishing.
    await Promise.all([this.syncing, this.store.durable ? handle.sync() : undefined]);
    this.throwIfFailed();
    const algorithm = algorithmOf(expected);
    const actual =
      algorithm === this.algorithm
        ? `${algorithm}:${this.hash.copy().digest('hex')}`
        : await hashFile(this.temp!, algorithm);
    if (actual !== expected) throw mismatch(expected, actual);
    this.done = true;
    this.handle = undefined;
    try {
      return await this.store.publish(this.temp!, expected, this.size, this.small);
    } finally {
      // The bytes are synced (or the file is gone): closing can neither lose data nor report a failure that matters.
      void handle.close().catch(() => undefined);
    }
  }

  async abort(): Promise<void> {
    this.done = true;
    this.pending = [];
    this.small = undefined;
    // A write or sync under way still uses the handle (and may create the temp file): let it finish.
    await this.writing;
    await this.syncing;
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
