/**
 * The persisted build cache: step key → the layer it produced (or none, for metadata steps), with the
 * inputs that formed the key. Every miss gets a reason by comparing with the closest earlier build of the
 * same step: the same parent (the instruction itself changed), else the latest build of the same position
 * in the same stage (an input or an earlier step changed).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Descriptor } from '../oci/types';
import { writeFileAtomic } from '../store/atomic';
import type { Digest } from '../store/digest';
import type { StepInputs } from './cache-key';

export interface CacheEntry {
  key: string;
  parentKey: string;
  /** Where the step sits: `<dockerfile>#<stage>/<n>`, to find its earlier builds after a change. */
  stepId: string;
  inputs: StepInputs;
  layer?: Descriptor & { diffId: Digest };
  /** Milliseconds; orders "closest earlier build" and pruning. */
  usedAt: number;
}

interface CacheFile {
  version: 1;
  entries: CacheEntry[];
}

const MAX_ENTRIES = 10_000;
const MAX_LISTED_CHANGES = 3;

/** Default bound on the bytes of the layers the cache keeps (each distinct layer counted once). */
export const DEFAULT_CACHE_MAX_BYTES = 20 * 1024 ** 3;

export interface CacheStats {
  entries: number;
  layers: number;
  bytes: number;
  max_bytes: number;
  /** Lookups since the engine started. */
  hits: number;
  misses: number;
}

export interface PruneResult {
  removed_entries: number;
  /** Bytes of layers no entry refers to any more (the store's gc then frees them). */
  released_bytes: number;
}

export class CacheIndex {
  private readonly entries = new Map<string, CacheEntry>();
  private dirty = false;
  private hits = 0;
  private misses = 0;
  /** Bound on the cached layers' bytes; past it, the least recently used steps are forgotten on save. */
  maxBytes = DEFAULT_CACHE_MAX_BYTES;

  private constructor(private readonly file: string | undefined) {}

  static inMemory(): CacheIndex {
    return new CacheIndex(undefined);
  }

  static async open(file: string): Promise<CacheIndex> {
    const index = new CacheIndex(file);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text) as CacheFile;
        if (parsed.version === 1) for (const entry of parsed.entries) index.entries.set(entry.key, entry);
      } catch {
        // A damaged cache index costs a rebuild, never a failed build.
      }
    }
    return index;
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      entry.usedAt = Date.now();
      this.dirty = true;
      this.hits++;
    } else this.misses++;
    return entry;
  }

  stats(): CacheStats {
    const layers = this.layerSizes();
    let bytes = 0;
    for (const size of layers.values()) bytes += size;
    return {
      entries: this.entries.size,
      layers: layers.size,
      bytes,
      max_bytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
    };
  }

  /**
   * Forgets steps, least recently used first, until the layers left fit `maxBytes` (all of them with
   * `maxBytes: 0`). Blobs are not deleted here: the store's gc frees what nothing refers to any more.
   */
  prune(maxBytes = this.maxBytes): PruneResult {
    const before = this.layerSizes();
    const byAge = [...this.entries.values()].sort((a, b) => a.usedAt - b.usedAt);
    let bytes = [...before.values()].reduce((sum, n) => sum + n, 0);
    const users = new Map<string, number>();
    for (const e of byAge) if (e.layer) users.set(e.layer.digest, (users.get(e.layer.digest) ?? 0) + 1);
    let removed = 0;
    for (const entry of byAge) {
      if (bytes <= maxBytes && maxBytes > 0) break;
      this.entries.delete(entry.key);
      removed++;
      if (!entry.layer) continue;
      const left = (users.get(entry.layer.digest) ?? 1) - 1;
      users.set(entry.layer.digest, left);
      if (left === 0) bytes -= entry.layer.size;
    }
    if (removed > 0) this.dirty = true;
    const after = this.layerSizes();
    let released = 0;
    for (const [digest, size] of before) if (!after.has(digest)) released += size;
    return { removed_entries: removed, released_bytes: released };
  }

  private layerSizes(): Map<string, number> {
    const sizes = new Map<string, number>();
    for (const e of this.entries.values()) if (e.layer) sizes.set(e.layer.digest, e.layer.size);
    return sizes;
  }

  record(entry: Omit<CacheEntry, 'usedAt'>): void {
    this.entries.set(entry.key, { ...entry, usedAt: Date.now() });
    this.dirty = true;
  }

  /** Layer digests the cache still refers to: roots for the content store's gc. */
  layerDigests(): Digest[] {
    return [...this.entries.values()].flatMap((e) => (e.layer ? [e.layer.digest] : []));
  }

  /** Why `key` missed, in one line, e.g. `COPY . /app: src/index.ts changed`. */
  explainMiss(parentKey: string, stepId: string, inputs: StepInputs, parentMissed: boolean): string {
    let sameParent: CacheEntry | undefined;
    let samePlace: CacheEntry | undefined;
    for (const entry of this.entries.values()) {
      if (
        entry.parentKey === parentKey &&
        sameKind(entry.inputs, inputs) &&
        (!sameParent || entry.usedAt > sameParent.usedAt)
      )
        sameParent = entry;
      if (entry.stepId === stepId && (!samePlace || entry.usedAt > samePlace.usedAt)) samePlace = entry;
    }
    const closest = sameParent ?? samePlace;
    if (!closest) return parentMissed ? 'an earlier step changed' : 'no earlier build of this step';
    const changes = describeChanges(closest.inputs, inputs);
    if (changes.length === 0)
      return parentMissed || closest.parentKey !== parentKey ? 'an earlier step changed' : 'not in the cache';
    return `${inputs.text}: ${changes.join(', ')}`;
  }

  async save(): Promise<void> {
    if (this.stats().bytes > this.maxBytes) this.prune();
    if (!this.file || !this.dirty) return;
    const kept = [...this.entries.values()].sort((a, b) => b.usedAt - a.usedAt).slice(0, MAX_ENTRIES);
    // The same text as JSON.stringify({ version: 1, entries: kept }), from each entry's serialised form
    // kept since it was recorded: a COPY of 5,000 files carries 5,000 source digests, and re-serialising
    // every earlier build's entries on each save cost more than the rest of a no-change rebuild.
    const text = `{"version":1,"entries":[${kept.map((e) => serialised(e)).join(',')}]}`;
    // A data folder whose build/ was never made (the store now lives beside it) must not fail the build.
    await mkdir(dirname(this.file), { recursive: true });
    // Not fsynced: it is rewritten after every build (use times), and a damaged or lost index costs a
    // rebuild, never a failed build (open() starts empty), so durability is not worth a disk flush each time.
    await writeFileAtomic(this.file, text, { durable: false });
    this.dirty = false;
  }
}

/** An entry's JSON without `usedAt` (the only field that changes after it is recorded), by entry object. */
const entryJson = new WeakMap<CacheEntry, string>();

function serialised(entry: CacheEntry): string {
  let body = entryJson.get(entry);
  if (body === undefined) {
    const { usedAt: _usedAt, ...rest } = entry;
    entryJson.set(entry, (body = JSON.stringify(rest)));
  }
  return `${body.slice(0, -1)},"usedAt":${JSON.stringify(entry.usedAt)}}`;
}

function sameKind(a: StepInputs, b: StepInputs): boolean {
  return a.text.split(' ', 1)[0] === b.text.split(' ', 1)[0];
}

function describeChanges(before: StepInputs, after: StepInputs): string[] {
  const changes: string[] = [];
  if (before.instruction !== after.instruction) changes.push(`instruction changed (was: ${before.text})`);
  for (const name of union(before.args, after.args)) {
    const was = before.args[name];
    const now = after.args[name];
    if (was === now) continue;
    if (was === undefined) changes.push(`build arg ${name} set to ${now}`);
    else if (now === undefined) changes.push(`build arg ${name} unset (was ${was})`);
    else changes.push(`build arg ${name} changed ${was} → ${now}`);
  }
  const files: string[] = [];
  for (const path of union(before.sources, after.sources)) {
    const was = before.sources[path];
    const now = after.sources[path];
    if (was === now) continue;
    files.push(was === undefined ? `${path} added` : now === undefined ? `${path} removed` : `${path} changed`);
  }
  if (files.length > MAX_LISTED_CHANGES)
    changes.push(...files.slice(0, MAX_LISTED_CHANGES), `and ${files.length - MAX_LISTED_CHANGES} more files`);
  else changes.push(...files);
  return changes;
}

function union(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
