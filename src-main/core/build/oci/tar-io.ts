/**
 * Whole-archive tar I/O for image exchange formats (OCI archives, docker-archive). Not for layers: those
 * go through ../layers, which sorts, normalises and distrusts them. Files here are written in the order
 * given, with fixed owners and times, so an export of the same image is byte-identical.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';
import { GovcError } from '../../../../src-shared/errors';

export interface ArchiveFile {
  name: string;
  data: Uint8Array | (() => Promise<Uint8Array>);
}

export async function writeArchive(dest: string, files: Iterable<ArchiveFile>): Promise<void> {
  const packer = pack();
  const written = pipeline(packer as unknown as Readable, createWriteStream(dest));
  for (const file of files) {
    const data = typeof file.data === 'function' ? await file.data() : file.data;
    await new Promise<void>((resolve, reject) =>
      packer.entry({ name: file.name, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 }, data, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
  packer.finalize();
  await written;
}

/** Reads an archive's regular files (gzip or plain) into memory, refusing names that climb out. */
export async function readArchive(path: string, maxBytes = 64 * 1024 ** 3): Promise<Map<string, Buffer>> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const files = new Map<string, Buffer>();
  const tar = extract();
  let total = 0;
  const consume = (async () => {
    for await (const entry of tar) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        total += (chunk as Buffer).byteLength;
        if (total > maxBytes) throw new GovcError('PAYLOAD_TOO_LARGE', `${path} expands beyond ${maxBytes} bytes`);
        chunks.push(chunk as Buffer);
      }
      if (entry.header.type !== 'file') continue;
      const name = entry.header.name.replace(/^\.\//, '');
      if (name.startsWith('/') || name.split('/').includes('..'))
        throw new GovcError('HOSTILE_ARCHIVE', `Refused a hostile archive: ${entry.header.name}`);
      files.set(name, Buffer.concat(chunks));
    }
  })();
  const source = createReadStream(path);
  const feed = magic[0] === 0x1f && magic[1] === 0x8b ? pipeline(source, createGunzip(), tar) : pipeline(source, tar);
  const [consumed, fed] = await Promise.allSettled([consume, feed]);
  if (consumed.status === 'rejected') throw consumed.reason;
  if (fed.status === 'rejected')
    throw new GovcError('BAD_ARCHIVE', `${path} is not a readable tar: ${String(fed.reason)}`);
  return files;
}
