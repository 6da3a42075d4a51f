import { describe, expect, it } from 'vitest';
import { fromBytes, toBytes } from './cache-size';

describe('cache size entry', () => {
  it('turns MiB and GiB into bytes, and refuses what is not a size', () => {
    expect(toBytes('512', 'MiB')).toBe(512 * 1024 ** 2);
    expect(toBytes('1.5', 'GiB')).toBe(1.5 * 1024 ** 3);
    expect(toBytes('0', 'MiB')).toBe(0);
    expect(toBytes('', 'MiB')).toBeUndefined();
    expect(toBytes('-1', 'GiB')).toBeUndefined();
    expect(toBytes('lots', 'GiB')).toBeUndefined();
  });

  it('shows whole GiB as GiB and anything else as MiB', () => {
    expect(fromBytes(10 * 1024 ** 3)).toEqual({ amount: '10', unit: 'GiB' });
    expect(fromBytes(1536 * 1024 ** 2)).toEqual({ amount: '1536', unit: 'MiB' });
    expect(fromBytes(0)).toEqual({ amount: '0', unit: 'MiB' });
  });
});
