/**
 * Content digests of source files, remembered by their metadata so a rebuild with nothing changed does not
 * read the context again: a file whose device, inode, size, mode, mtime and ctime are what they were when
 * it was hashed has the same bytes. As in git's "racy clean" rule, a digest is only remembered when the
 * file's ctime is clearly older than the read, so a write in the same clock tick as the hash can never
 * hide behind an unchanged timestamp. Process-wide and bounded: an in-process engine keeps it across builds.
 */
import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';

interface Remembered {
  key: string;
  digest: string;
}

const MAX_ENTRIES = 500_000;
/** Kernel file times come from a coarse clock that can lag the wall clock by a tick or two. */
const RACY_MARGIN_MS = 50;

const remembered = new Map<string, Remembered>();

/** What a file's digest is remembered by: its identity and every time a write or chmod moves. */
export function statKey(info: BigIntStats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mode}:${info.mtimeNs}:${info.ctimeNs}`;
}

/**
 * sha256 of the file's bytes (hex), from memory when its metadata is unchanged since it was hashed.
 * `knownKey` is the `statKey` of an lstat the caller made in this build (the context listing), which
 * saves a second lstat per file; it is taken before the read, as the fresh one would be.
 */
export async function fileDigest(host: string, knownKey?: string): Promise<string> {
  const key = knownKey ?? statKey(await lstat(host, { bigint: true }));
  const known = remembered.get(host);
  if (known?.key === key) return known.digest;
  const readStart = Date.now();
  const digest = createHash('sha256')
    .update(await readFile(host))
    .digest('hex');
  const ctimeNs = BigInt(key.slice(key.lastIndexOf(':') + 1));
  if (Number(ctimeNs / 1_000_000n) < readStart - RACY_MARGIN_MS) {
    if (remembered.size >= MAX_ENTRIES) remembered.delete(remembered.keys().next().value!);
    remembered.delete(host);
    remembered.set(host, { key, digest });
  } else remembered.delete(host);
  return digest;
}

/** Forgets every digest (tests). */
export function forgetFileDigests(): void {
  remembered.clear();
}
