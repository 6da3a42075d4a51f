/**
 * Git's object format, byte for byte, so that our object ids are the ids the git CLI computes: an object is
 * `<type> <size>\0<content>` hashed with SHA-1. Codecs here are pure (no storage, no I/O); the hot paths
 * (hashing a blob, encoding a tree) avoid isomorphic-git's async layers on purpose.
 */
import { createHash } from 'node:crypto';
import { GovcError } from '../../../src-shared/errors';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface GitObject {
  type: ObjectType;
  /** The content, without git's `type size\0` header. */
  bytes: Buffer;
}

/** File modes git records in trees. Git writes trees as `40000`, never zero-padded (fsck --strict checks). */
export type FileMode = '100644' | '100755' | '120000' | '160000';
export type TreeMode = FileMode | '40000';

export interface Entry {
  oid: string;
  mode: FileMode;
}

export interface TreeEntry {
  name: string;
  oid: string;
  mode: TreeMode;
}

export const EMPTY_TREE_OID = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const OID_RE = /^[0-9a-f]{40}$/;

export function isOid(value: string): boolean {
  return OID_RE.test(value);
}

export function objectHeader(type: ObjectType, size: number): Buffer {
  return Buffer.from(`${type} ${size}\0`, 'latin1');
}

export function hashObject(type: ObjectType, bytes: Buffer): string {
  return createHash('sha1').update(objectHeader(type, bytes.length)).update(bytes).digest('hex');
}

/** Parses `type size\0content` (an inflated loose object) and checks the size. */
export function parseLooseObject(raw: Buffer): GitObject {
  const nul = raw.indexOf(0);
  const header = nul > 0 ? raw.subarray(0, nul).toString('latin1') : '';
  const m = /^(blob|tree|commit|tag) (\d+)$/.exec(header);
  if (!m) throw new GovcError('CORRUPT_OBJECT', 'A loose object has a malformed header');
  const bytes = raw.subarray(nul + 1);
  if (bytes.length !== Number(m[2])) throw new GovcError('CORRUPT_OBJECT', 'A loose object has the wrong size');
  return { type: m[1] as ObjectType, bytes };
}

// --- trees -------------------------------------------------------------------------------------------------

/**
 * Git orders tree entries by their UTF-8 bytes, with a tree's name compared as if it ended in '/'. JS strings
 * compare by UTF-16 units, which agrees with UTF-8 byte order except that surrogates (code points above
 * U+FFFF) must sort after U+E000..U+FFFF; shifting surrogates up restores byte order without encoding.
 */
export function compareGitNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}

function sortKey(e: TreeEntry): string {
  return e.mode === '40000' ? e.name + '/' : e.name;
}

export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  return entries.sort((a, b) => compareGitNames(sortKey(a), sortKey(b)));
}

/** Encodes entries (sorted here) as a tree's content: `mode name\0<20-byte oid>` each. */
export function encodeTree(entries: TreeEntry[]): Buffer {
  const sorted = sortTreeEntries(entries.slice());
  const parts: Buffer[] = [];
  for (const e of sorted) {
    parts.push(Buffer.from(`${e.mode} ${e.name}\0`, 'utf8'), Buffer.from(e.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

const MODES = new Set<string>(['100644', '100755', '120000', '160000', '40000']);

export function decodeTree(bytes: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < bytes.length) {
    const space = bytes.indexOf(0x20, i);
    const nul = bytes.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > bytes.length) throw new GovcError('CORRUPT_OBJECT', 'A tree is truncated');
    let mode = bytes.toString('latin1', i, space);
    // Old git wrote some modes differently (100664, 040000): read them as the mode they mean.
    if (mode === '040000') mode = '40000';
    else if (mode.startsWith('100') && mode !== '100755' && mode !== '100644') mode = '100644';
    if (!MODES.has(mode)) throw new GovcError('CORRUPT_OBJECT', `A tree has an unknown mode ${mode}`);
    entries.push({
      mode: mode as TreeMode,
      name: bytes.toString('utf8', space + 1, nul),
      oid: bytes.toString('hex', nul + 1, nul + 21),
    });
    i = nul + 21;
  }
  return entries;
}

// --- commits and tags --------------------------------------------------------------------------------------

export interface Identity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** Offset as git writes it, e.g. `+0200`. */
  tz: string;
}

export interface Commit {
  tree: string;
  parents: string[];
  author: Identity;
  committer: Identity;
  message: string;
  /** Headers we do not interpret (gpgsig, encoding, mergetag …), kept so re-encoding is lossless. */
  extra: string[];
}

export interface Tag {
  object: string;
  type: ObjectType;
  tag: string;
  tagger?: Identity;
  message: string;
}

export function formatIdentity(who: Identity): string {
  return `${who.name} <${who.email}> ${who.time} ${who.tz}`;
}

export function parseIdentity(text: string): Identity {
  const m = /^(.*?) ?<(.*)> (\d+) ([+-]\d{4})$/.exec(text);
  if (!m) return { name: text, email: '', time: 0, tz: '+0000' };
  return { name: m[1]!, email: m[2]!, time: Number(m[3]), tz: m[4]! };
}

/** Git's message convention: exactly one trailing newline. */
export function normalizeMessage(message: string): string {
  return message.replace(/\s+$/, '') + '\n';
}

export function encodeCommit(c: Omit<Commit, 'extra'> & { extra?: string[] }): Buffer {
  let head = `tree ${c.tree}\n`;
  for (const p of c.parents) head += `parent ${p}\n`;
  head += `author ${formatIdentity(c.author)}\ncommitter ${formatIdentity(c.committer)}\n`;
  for (const x of c.extra ?? []) head += x + '\n';
  return Buffer.from(`${head}\n${c.message}`, 'utf8');
}

/** Splits headers from message; continuation lines (starting with a space) stay with their header. */
function splitHeaders(bytes: Buffer): { headers: string[]; message: string } {
  const text = bytes.toString('utf8');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const message = end < 0 ? '' : text.slice(end + 2);
  const headers: string[] = [];
  for (const line of head.split('\n')) {
    if (line.startsWith(' ') && headers.length > 0) headers[headers.length - 1] += '\n' + line;
    else if (line) headers.push(line);
  }
  return { headers, message };
}

export function decodeCommit(bytes: Buffer): Commit {
  const { headers, message } = splitHeaders(bytes);
  const c: Commit = {
    tree: '',
    parents: [],
    author: parseIdentity(''),
    committer: parseIdentity(''),
    message,
    extra: [],
  };
  for (const h of headers) {
    const sp = h.indexOf(' ');
    const key = h.slice(0, sp);
    const value = h.slice(sp + 1);
    if (key === 'tree') c.tree = value;
    else if (key === 'parent') c.parents.push(value);
    else if (key === 'author') c.author = parseIdentity(value);
    else if (key === 'committer') c.committer = parseIdentity(value);
    else c.extra.push(h);
  }
  if (!isOid(c.tree)) throw new GovcError('CORRUPT_OBJECT', 'A commit has no tree');
  return c;
}

export function encodeTag(t: Tag): Buffer {
  let head = `object ${t.object}\ntype ${t.type}\ntag ${t.tag}\n`;
  if (t.tagger) head += `tagger ${formatIdentity(t.tagger)}\n`;
  return Buffer.from(`${head}\n${t.message}`, 'utf8');
}

export function decodeTag(bytes: Buffer): Tag {
  const { headers, message } = splitHeaders(bytes);
  const t: Tag = { object: '', type: 'commit', tag: '', message };
  for (const h of headers) {
    const sp = h.indexOf(' ');
    const key = h.slice(0, sp);
    const value = h.slice(sp + 1);
    if (key === 'object') t.object = value;
    else if (key === 'type') t.type = value as ObjectType;
    else if (key === 'tag') t.tag = value;
    else if (key === 'tagger') t.tagger = parseIdentity(value);
  }
  // A signature sits at the end of the message; keep it there, it is part of what was signed.
  return t;
}

/** Git's heuristic: a NUL in the first 8,000 bytes means binary. */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).indexOf(0) >= 0;
}
