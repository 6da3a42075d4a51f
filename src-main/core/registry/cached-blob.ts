/**
 * A blob kept in memory: one buffer, or the chunks an upload arrived in. Joining an upload's chunks costs
 * a copy of the whole blob (17 ms for 20 MiB on a busy 2-core machine, plus the garbage it leaves), so
 * they stay as they are: the HTTP layer writes them to the socket in one writev, and they are joined only
 * for a caller that needs one buffer (a manifest or config read).
 */
import type { ByteRange } from './storage';

export type CachedBlob = Buffer | Buffer[];

export function cachedSize(blob: CachedBlob): number {
  return Buffer.isBuffer(blob) ? blob.byteLength : blob.reduce((sum, c) => sum + c.byteLength, 0);
}

export function joined(blob: CachedBlob): Buffer {
  return Buffer.isBuffer(blob) ? blob : Buffer.concat(blob);
}

/** The blob, or a range of it, without copying: the buffer or a view of it, or views of the chunks. */
export function cachedRange(blob: CachedBlob, range?: ByteRange): Buffer | Buffer[] {
  if (range === undefined) return blob;
  return Buffer.isBuffer(blob) ? blob.subarray(range.start, range.end + 1) : sliceChunks(blob, range);
}

/** The chunks' bytes from `start` to `end` (inclusive), as views of the chunks. */
export function sliceChunks(chunks: Buffer[], { start, end }: ByteRange): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end + 1 - offset, chunk.byteLength);
    if (from < to) out.push(chunk.subarray(from, to));
    offset += chunk.byteLength;
    if (offset > end) break;
  }
  return out;
}
