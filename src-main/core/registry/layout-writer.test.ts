/**
 * The layout store's upload writer writes and syncs behind the socket: these check that what it publishes
 * is exactly what arrived, that a wrong digest or an abort during a background write leaves nothing in
 * `blobs/` or `.uploads/`, and that the bytes reach the disk before the blob is visible.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { digestOf } from './digest';
import { LayoutBlobStore } from './layout-store';

const dirs: string[] = [];
function store(): LayoutBlobStore {
  const dir = mkdtempSync(join(tmpdir(), 'govc-writer-'));
  dirs.push(dir);
  // A small memory limit, so the 20 MiB blob is read back from disk rather than from the cache.
  return new LayoutBlobStore(dir, { memoryBlobLimit: 1024 });
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Feeds data in socket-sized chunks, as a request body arrives. */
async function feed(writer: { write(c: Uint8Array): Promise<void> }, data: Buffer, chunk = 64 * 1024) {
  for (let at = 0; at < data.byteLength; at += chunk) await writer.write(data.subarray(at, at + chunk));
}

/** node:fs/promises does not export FileHandle as a value: take the prototype of an open one. */
async function handlePrototype(dir: string): Promise<FileHandle> {
  const handle = await open(join(dir, 'oci-layout'), 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}

describe('LayoutWriter', () => {
  it('publishes exactly the bytes received, synced to disk before they become visible', async () => {
    const blobs = store();
    const data = randomBytes(20 * 1024 * 1024 + 123);
    const digest = digestOf(data);
    const writer = blobs.writer('sha256');
    const proto = await handlePrototype(blobs.root);
    const original = proto.sync;
    let visibleAtSync: boolean | undefined;
    const sync = vi.spyOn(proto, 'sync').mockImplementation(function (this: FileHandle) {
      visibleAtSync = existsSync(blobs.path(digest));
      return original.call(this);
    });
    const datasync = vi.spyOn(proto, 'datasync');
    await feed(writer, data);
    expect(blobs.stat(digest)).toBeUndefined();
    const info = await writer.commit(digest);
    expect(info).toMatchObject({ digest, size: data.byteLength });
    expect(readFileSync(blobs.path(digest)).equals(data)).toBe(true);
    expect(readdirSync(blobs.uploadsDir)).toEqual([]);
    // Synced ahead while receiving, and once more before publishing.
    expect(datasync.mock.calls.length).toBeGreaterThan(0);
    expect(sync).toHaveBeenCalledTimes(1);
    expect(visibleAtSync).toBe(false);
  });

  it('refuses a wrong digest and leaves nothing behind once aborted', async () => {
    const blobs = store();
    const data = randomBytes(5 * 1024 * 1024);
    const writer = blobs.writer('sha256');
    await feed(writer, data);
    await expect(writer.commit(digestOf(randomBytes(8)))).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
    await writer.abort();
    expect(readdirSync(blobs.uploadsDir)).toEqual([]);
    expect(blobs.list()).toEqual([]);
  });

  it('aborts while a write is under way without leaving a temp file', async () => {
    const blobs = store();
    const writer = blobs.writer('sha256');
    // No await between the writes and the abort: the first disk write is still running.
    void writer.write(randomBytes(2 * 1024 * 1024));
    await writer.abort();
    expect(readdirSync(blobs.uploadsDir)).toEqual([]);
    await expect(writer.write(Buffer.from('late'))).rejects.toMatchObject({ code: 'BLOB_UPLOAD_UNKNOWN' });
  });

  it('publishes an empty blob', async () => {
    const blobs = store();
    const writer = blobs.writer('sha256');
    const empty = Buffer.alloc(0);
    await writer.commit(digestOf(empty));
    expect(readFileSync(blobs.path(digestOf(empty))).byteLength).toBe(0);
  });
});
