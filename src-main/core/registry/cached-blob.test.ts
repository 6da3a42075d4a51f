import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cachedRange, cachedSize, joined, sliceChunks } from './cached-blob';

describe('cached blobs kept as an upload’s chunks', () => {
  const data = randomBytes(1000);
  const chunks = [data.subarray(0, 100), data.subarray(100, 100), data.subarray(100, 612), data.subarray(612)];

  it('gives every range of the chunks as the same bytes as the joined blob, without copying', () => {
    for (const [start, end] of [
      [0, 999],
      [0, 0],
      [99, 100],
      [100, 611],
      [611, 612],
      [999, 999],
      [250, 800],
    ] as const) {
      const slices = sliceChunks(chunks, { start, end });
      expect(Buffer.concat(slices).equals(data.subarray(start, end + 1))).toBe(true);
      for (const slice of slices) expect(slice.buffer).toBe(data.buffer);
      expect(Buffer.concat(cachedRange(chunks, { start, end }) as Buffer[]).equals(data.subarray(start, end + 1))).toBe(
        true,
      );
    }
    expect(cachedRange(chunks)).toBe(chunks);
    expect(cachedSize(chunks)).toBe(1000);
    expect(joined(chunks).equals(data)).toBe(true);
  });

  it('serves a single buffer as itself', () => {
    expect(cachedRange(data)).toBe(data);
    expect((cachedRange(data, { start: 10, end: 19 }) as Buffer).equals(data.subarray(10, 20))).toBe(true);
  });
});
