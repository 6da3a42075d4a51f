import { describe, expect, it } from 'vitest';
import { formatBytes, formatCreated, shortDigest } from './format';

describe('image formatting', () => {
  it('shortens digests, sizes and times as the list shows them', () => {
    expect(shortDigest('sha256:0123456789abcdef')).toBe('0123456789ab');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatCreated('2024-05-01T10:00:00Z')).toBe('2024-05-01 10:00:00 UTC');
    expect(formatCreated('1970-01-01T00:00:00Z')).toBe('reproducible (epoch)');
    expect(formatCreated(undefined)).toBe('—');
  });
});
