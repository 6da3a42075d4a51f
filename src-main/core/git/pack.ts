/**
 * Writing packfiles (version 2, undeltified) and their .idx (version 2), for large batches of objects:
 * one file and one fsync instead of one per object. Git reads them as it reads its own packs. Reading
 * packs stays with isomorphic-git; `idxOids` only lists the oids of an index (for abbreviated revisions).
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { GitObject, ObjectType } from './objects';

const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/** A pack entry's header: type and size, 4 bits of size then 7 per byte, least significant first. */
function entryHeader(type: ObjectType, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (TYPE_CODES[type] << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

export interface Pack {
  /** The pack's checksum in hex: git names the files pack-<this>.pack and .idx. */
  name: string;
  pack: Buffer;
  idx: Buffer;
}

export function writePack(objects: Array<[string, GitObject]>): Pack {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  parts.push(header);
  const entries: Array<{ oid: string; offset: number; crc: number }> = [];
  let offset = 12;
  for (const [oid, obj] of objects) {
    const head = entryHeader(obj.type, obj.bytes.length);
    const data = deflateSync(obj.bytes, { level: 1 });
    entries.push({ oid, offset, crc: crc32(data, crc32(head)) });
    parts.push(head, data);
    offset += head.length + data.length;
  }
  const body = Buffer.concat(parts);
  const checksum = createHash('sha1').update(body).digest();
  const pack = Buffer.concat([body, checksum]);
  return { name: checksum.toString('hex'), pack, idx: writeIdx(entries, checksum) };
}

function writeIdx(entries: Array<{ oid: string; offset: number; crc: number }>, packChecksum: Buffer): Buffer {
  const sorted = entries.slice().sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0));
  const n = sorted.length;
  const large = sorted.filter((e) => e.offset >= 0x80000000);
  const buf = Buffer.alloc(8 + 256 * 4 + n * 20 + n * 4 + n * 4 + large.length * 8 + 40);
  buf.writeUInt32BE(0xff744f63, 0); // "\377tOc"
  buf.writeUInt32BE(2, 4);
  const fanout = new Array<number>(256).fill(0);
  for (const e of sorted) fanout[parseInt(e.oid.slice(0, 2), 16)]!++;
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i]!;
    buf.writeUInt32BE(total, 8 + i * 4);
  }
  let pos = 8 + 1024;
  for (const e of sorted) pos += buf.write(e.oid, pos, 'hex');
  for (const e of sorted) pos = buf.writeUInt32BE(e.crc >>> 0, pos);
  let li = 0;
  for (const e of sorted) {
    pos = buf.writeUInt32BE(e.offset >= 0x80000000 ? (0x80000000 | li++) >>> 0 : e.offset, pos);
  }
  for (const e of large) pos = buf.writeBigUInt64BE(BigInt(e.offset), pos);
  pos += packChecksum.copy(buf, pos);
  createHash('sha1').update(buf.subarray(0, pos)).digest().copy(buf, pos);
  return buf;
}

/** Oids in a version-2 pack index that start with `prefix` (hex, at least 2 characters). */
export function idxOids(idx: Buffer, prefix: string): string[] {
  if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) return [];
  const first = parseInt(prefix.slice(0, 2), 16);
  const start = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
  const end = idx.readUInt32BE(8 + first * 4);
  const out: string[] = [];
  for (let i = start; i < end; i++) {
    const oid = idx.toString('hex', 8 + 1024 + i * 20, 8 + 1024 + (i + 1) * 20);
    if (oid.startsWith(prefix)) out.push(oid);
  }
  return out;
}
