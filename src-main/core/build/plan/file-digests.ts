/**
 * Content digests of source files, remembered by their metadata so a rebuild with nothing changed does not
 * read the context again: a file whose device, inode, size, mode, mtime and ctime are what they were when
 * it was hashed has the same bytes. As in git's "racy clean" rule, a digest is only remembered when the
 * file's ctime is clearly older than the read, so a write in the same clock tick as the hash can never
 * hide behind an unchanged timestamp. Process-wide and bounded: an in-process engine keeps it across builds.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';

interface Remembered {
  key: string;
  digest: string;
}

const MAX_ENTRIES = 500_000;
/** Kernel file times come from a coarse clock that can lag the wall clock by a tick or two. */
const RACY_MARGIN_MS = 50;
/** Files up to this size are read synchronously (faster on 2 cores, see layers/batch.ts); larger ones async. */
const SYNC_READ_MAX = 1024 * 1024;

const remembered = new Map<string, Remembered>();

/**
 * What a file's digest is remembered by: its identity and every time a write or chmod moves. Times are
 * the float milliseconds of a plain lstat (sub-microsecond resolution today; the bigint form allocates
 * several times more per file, which a 5,000-file listing pays in GC): a later write can never carry the
 * same times, since a digest is only remembered once the file's ctime is RACY_MARGIN_MS older than the read.
 */
export function statKey(info: Stats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mode}:${info.mtimeMs}:${info.ctimeMs}`;
}

/**
 * sha256 of the file's bytes (hex), from memory when its metadata is unchanged since it was hashed.
 * `knownKey` is the `statKey` of an lstat the caller made in this build (the context listing), which
 * saves a second lstat per file; it is taken before the read, as the fresh one would be.
 */
export async function fileDigest(host: string, knownKey?: string): Promise<string> {
  const key = knownKey ?? statKey(lstatSync(host));
  const known = remembered.get(host);
  if (known?.key === key) return known.digest;
  const readStart = Date.now();
  const size = Number(key.split(':', 3)[2]);
  const bytes = size <= SYNC_READ_MAX ? readFileSync(host) : await readFile(host);
  const digest = createHash('sha256').update(bytes).digest('hex');
  const ctimeMs = Number(key.slice(key.lastIndexOf(':') + 1));
  if (ctimeMs < readStart - RACY_MARGIN_MS) {
    if (remembered.size >= MAX_ENTRIES) remembered.delete(remembered.keys().next().value!);
    remembered.delete(host);
    remembered.set(host, { key, digest });
  } else remembered.delete(host);
  return digest;
}

/** The remembered digest when `key` (a `statKey`) is still the file's metadata; no I/O. */
export function rememberedDigest(host: string, key: string | undefined): string | undefined {
  const known = key === undefined ? undefined : remembered.get(host);
  return known?.key === key ? known?.digest : undefined;
}

/** Forgets every digest (tests). */
export function forgetFileDigests(): void {
  remembered.clear();
}
