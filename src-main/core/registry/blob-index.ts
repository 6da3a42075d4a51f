/**
 * What both blob stores keep in memory about each blob: its size, and when it was last stored, as a time
 * (for the GC's grace period) and as a sequence number (a GC leaves alone whatever was stored after it
 * started, even within the same millisecond). Storing a blob that is already there refreshes both: a build
 * that just produced an old layer again must not lose it to a GC before it references it.
 */
import type { BlobInfo, StoredAt } from './storage';

interface Entry extends StoredAt {
  size: number;
}

export class BlobIndex {
  private readonly entries = new Map<string, Entry>();
  private sequence = 0;
  private total = 0;

  constructor(private readonly now: () => number) {}

  stat(digest: string): BlobInfo | undefined {
    const entry = this.entries.get(digest);
    return entry === undefined ? undefined : { digest, size: entry.size };
  }

  stored(digest: string): StoredAt | undefined {
    const entry = this.entries.get(digest);
    return entry === undefined ? undefined : { at: entry.at, seq: entry.seq };
  }

  /** Records a blob, or refreshes one already recorded (its size stays the one stored first). */
  record(digest: string, size: number, at = this.now()): BlobInfo {
    const existing = this.entries.get(digest);
    const entry = { size: existing?.size ?? size, at, seq: ++this.sequence };
    if (existing === undefined) this.total += size;
    this.entries.set(digest, entry);
    return { digest, size: entry.size };
  }

  remove(digest: string): number | undefined {
    const entry = this.entries.get(digest);
    if (entry === undefined) return undefined;
    this.entries.delete(digest);
    this.total -= entry.size;
    return entry.size;
  }

  list(): BlobInfo[] {
    return [...this.entries].map(([digest, entry]) => ({ digest, size: entry.size }));
  }

  bytes(): number {
    return this.total;
  }

  generation(): number {
    return this.sequence;
  }
}
