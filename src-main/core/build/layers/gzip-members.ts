/**
 * A layer's gzip as a concatenation of gzip members (RFC 1952 allows any number; Go's, Node's and Python's
 * readers, skopeo, umoci and buildah read them as one stream, and eStargz relies on the same), cut only
 * between tar entries and only where the tar's own bytes say so. Each member's compressed bytes are kept
 * in a small in-process LRU keyed by the sha256 of its uncompressed bytes, so a rebuild after one file
 * changed recompresses only the member holding that file, and a large asset that did not change (its own
 * member) is never gzipped twice.
 *
 * The cut points are a function of the tar alone, and a member's bytes are a function of its uncompressed
 * bytes alone (zlib at a fixed level, fixed header), so the layer is byte for byte the same whether the
 * cache is cold, warm or holds members of other layers: the digest never depends on what was built before.
 *
 * The layer's two digests (of the tar and of the gzip) resume from the sha256 state after the longest run
 * of leading members seen before, so an unchanged 5 MiB asset ahead of the changed file is not hashed
 * twice more per rebuild. A run is named by the chain of its members' keys, and the gzip of a member is a
 * function of its key, so a remembered state is exactly the state hashing those bytes would reach.
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32, gzipSync } from 'node:zlib';
import type { Digest } from '../store/digest';

/** Fixed so the compressed bytes, and with them the digest, never depend on a default that could move. */
export const GZIP_LEVEL = 6;
/** RFC 1952 "unknown" OS, as Go's gzip writes it; zlib would write the build platform's code. */
const GZIP_OS_UNKNOWN = 255;

/** A member is cut after an entry whose header hash has these low bits clear (1 entry in 16) … */
const CUT_MASK = 0xf;
/** … once it holds at least this much (smaller members would compress worse: deflate's window is 32 KiB) … */
const MIN_MEMBER = 64 * 1024;
/** … and always once it reaches this much, so a run of unlucky hashes cannot make one huge member. */
const MAX_MEMBER = 1024 * 1024;
/** An entry whose data is at least this big gets a member of its own: it is costly to compress twice. */
const OWN_MEMBER = 256 * 1024;

/** Bound on the cached compressed bytes, and on one member worth caching. */
const CACHE_MAX_BYTES = 64 * 1024 * 1024;
const CACHE_MAX_MEMBER = 16 * 1024 * 1024;

const members = new Map<string, Buffer>();
let cachedBytes = 0;
let stats = { hits: 0, misses: 0 };

/** Bound on remembered hash states (each a few hundred bytes): runs of leading members of recent layers. */
const PREFIXES_MAX = 1024;
const prefixes = new Map<string, { tar: Hash; gz: Hash }>();

export interface GzippedLayer {
  compressed: Buffer;
  /** sha256 of `compressed`. */
  digest: Digest;
  /** sha256 of the tar. */
  diffId: Digest;
}

/** gzip of `tar` as members cut at content-defined tar entry boundaries, each reused from the cache if known. */
export function gzipLayer(tar: Buffer): GzippedLayer {
  const parts: Array<{ bytes: Buffer; gz: Buffer; chain: string }> = [];
  let chain = '';
  for (const [start, end] of memberRanges(tar)) {
    const bytes = tar.subarray(start, end);
    const key = createHash('sha256').update(bytes).digest('hex');
    chain = createHash('sha256').update(chain).update(key).digest('hex');
    parts.push({ bytes, gz: compressMember(key, bytes), chain });
  }
  let from = parts.length;
  while (from > 0 && !prefixes.has(parts[from - 1]!.chain)) from--;
  const known = from > 0 ? prefixes.get(parts[from - 1]!.chain) : undefined;
  const tarHash = known ? known.tar.copy() : createHash('sha256');
  const gzHash = known ? known.gz.copy() : createHash('sha256');
  for (const part of parts.slice(from)) {
    tarHash.update(part.bytes);
    gzHash.update(part.gz);
    rememberPrefix(part.chain, tarHash.copy(), gzHash.copy());
  }
  return {
    compressed: Buffer.concat(parts.map((part) => part.gz)),
    digest: `sha256:${gzHash.digest('hex')}`,
    diffId: `sha256:${tarHash.digest('hex')}`,
  };
}

function rememberPrefix(chain: string, tar: Hash, gz: Hash): void {
  prefixes.set(chain, { tar, gz });
  if (prefixes.size > PREFIXES_MAX) prefixes.delete(prefixes.keys().next().value!);
}

/** One deterministic gzip member: fixed level, no name, mtime 0, OS byte 255. */
export function gzipDeterministic(data: Uint8Array): Buffer {
  const gz = gzipSync(data, { level: GZIP_LEVEL });
  gz[9] = GZIP_OS_UNKNOWN;
  return gz;
}

/** The member's gzip; `key` is the sha256 of `bytes`. */
function compressMember(key: string, bytes: Buffer): Buffer {
  const known = members.get(key);
  if (known) {
    // Re-inserted to mark it most recently used.
    members.delete(key);
    members.set(key, known);
    stats.hits++;
    return known;
  }
  stats.misses++;
  const gz = gzipDeterministic(bytes);
  if (gz.byteLength <= CACHE_MAX_MEMBER) {
    members.set(key, gz);
    cachedBytes += gz.byteLength;
    for (const [oldest, buf] of members) {
      if (cachedBytes <= CACHE_MAX_BYTES) break;
      members.delete(oldest);
      cachedBytes -= buf.byteLength;
    }
  }
  return gz;
}

/**
 * [start, end) byte ranges of the members. An entry is its header block(s) and data; a PAX extended
 * header stays with the entry it describes. The end-of-archive blocks close the last member.
 */
export function memberRanges(tar: Buffer): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let memberStart = 0;
  let offset = 0;
  const cut = (at: number): void => {
    if (at > memberStart) ranges.push([memberStart, at]);
    memberStart = at;
  };
  while (offset + 512 <= tar.length) {
    const entryStart = offset;
    let header = tar.subarray(offset, offset + 512);
    if (isZeroBlock(header)) break;
    // A PAX header ('x') or global header ('g') describes what follows: keep them together.
    while (header[156] === 0x78 || header[156] === 0x67) {
      offset += 512 + padded(entrySize(header));
      header = tar.subarray(offset, offset + 512);
    }
    const size = entrySize(header);
    offset += 512 + padded(size);
    if (size >= OWN_MEMBER) {
      cut(entryStart);
      cut(offset);
      continue;
    }
    const length = offset - memberStart;
    if (length >= MAX_MEMBER || (length >= MIN_MEMBER && (crc32(header) & CUT_MASK) === 0)) cut(offset);
  }
  cut(tar.length);
  return ranges;
}

/** The size field: octal, or base-256 (high bit set) for sizes octal cannot hold. */
function entrySize(header: Buffer): number {
  const field = header.subarray(124, 136);
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const text = field.toString('latin1').replace(/[\0 ]+$/, '');
  return text === '' ? 0 : parseInt(text.trim(), 8);
}

function padded(size: number): number {
  return Math.ceil(size / 512) * 512;
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/** Member cache counters since start (or the last `clearMemberCache`), and its current size. */
export function memberCacheStats(): { hits: number; misses: number; members: number; bytes: number } {
  return { ...stats, members: members.size, bytes: cachedBytes };
}

/** Empties the member cache and the remembered hash states (tests prove a cold cache gives the same bytes as a warm one). */
export function clearMemberCache(): void {
  members.clear();
  prefixes.clear();
  cachedBytes = 0;
  stats = { hits: 0, misses: 0 };
}
