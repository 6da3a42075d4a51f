/**
 * Moving one blob between the store and a registry. Downloads stream into a verifying store writer; when
 * the connection breaks, the next request asks only for the missing bytes (`Range: bytes=N-`) and the writer
 * continues where it stopped. Uploads skip blobs the repository has (HEAD), mount blobs another repository
 * of the same registry has, and otherwise send chunked PATCHes; a chunk that fails is resumed from the
 * offset the registry reports for the session (GET on the upload's location).
 */
import { type Readable } from 'node:stream';
import { GovcError } from '../../../../src-shared/errors';
import type { BlobStore, BlobWriter } from '../storage';
import { algorithmOf } from '../digest';
import type { BlobProgress } from './progress';
import { isTransientError, sleep, type RegistryTransport } from './transport';

export interface BlobTarget {
  transport: RegistryTransport;
  repository: string;
  scopes: string[];
}

const RESUME_ATTEMPTS = 5;

export async function downloadBlob(
  blobs: BlobStore,
  from: BlobTarget,
  digest: string,
  size: number,
  progress: BlobProgress,
): Promise<void> {
  if (blobs.stat(digest) !== undefined) return progress.report('skipped', size);
  let writer: BlobWriter = blobs.writer(algorithmOf(digest));
  progress.report('started', 0);
  try {
    for (let attempt = 1; ; attempt++) {
      const offset = writer.size;
      const res = await from.transport.request(
        `/v2/${from.repository}/blobs/${digest}`,
        offset > 0 ? { headers: { range: `bytes=${offset}-` } } : {},
        from.scopes,
      );
      if (offset > 0 && res.status === 200) {
        // The registry ignored the range: take the whole blob again.
        await writer.abort();
        writer = blobs.writer(algorithmOf(digest));
      } else if (!res.ok) {
        await res.body?.cancel();
        throw httpError(res, `GET blob ${digest} of ${from.repository}`);
      }
      if (offset > 0) progress.report('resumed', writer.size);
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          await writer.write(chunk);
          if (writer.size > size) throw new GovcError('DIGEST_MISMATCH', `Blob ${digest} is larger than ${size} bytes`);
          progress.report('progress', writer.size);
        }
        break;
      } catch (err) {
        if (!isTransientError(err) || attempt >= RESUME_ATTEMPTS) throw err;
        await sleep(100 * attempt);
      }
    }
    await writer.commit(digest);
    progress.report('done', size);
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** Pushes one blob; returns how it got there. */
export async function uploadBlob(
  blobs: BlobStore,
  to: BlobTarget,
  digest: string,
  size: number,
  progress: BlobProgress,
  options: { chunkBytes: number; mountFrom?: string },
): Promise<'skipped' | 'mounted' | 'uploaded'> {
  const { transport, repository, scopes } = to;
  const head = await transport.request(`/v2/${repository}/blobs/${digest}`, { method: 'HEAD' }, scopes);
  if (head.ok) {
    progress.report('skipped', size);
    return 'skipped';
  }
  const mount = options.mountFrom === undefined ? '' : `?mount=${digest}&from=${options.mountFrom}`;
  const mountScopes = options.mountFrom === undefined ? scopes : [...scopes, `repository:${options.mountFrom}:pull`];
  const start = await transport.request(`/v2/${repository}/blobs/uploads/${mount}`, { method: 'POST' }, mountScopes);
  await start.body?.cancel();
  if (start.status === 201 && mount !== '') {
    progress.report('mounted', size);
    return 'mounted';
  }
  if (start.status !== 202) throw httpError(start, `POST upload of ${digest} to ${repository}`);
  let location = absolute(transport, start.headers.get('location'));
  progress.report('started', 0);
  let offset = 0;
  for (let failures = 0; offset < size;) {
    const end = Math.min(size, offset + options.chunkBytes) - 1;
    const chunk = await readRange(blobs, digest, offset, end);
    const res = await transport
      .request(
        location,
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${end}` },
          body: chunk,
        },
        scopes,
      )
      .catch((err: unknown) => err as Error);
    if (res instanceof Response && res.status === 202) {
      await res.body?.cancel();
      location = absolute(transport, res.headers.get('location') ?? location);
      offset = end + 1;
      progress.report('progress', offset);
      continue;
    }
    if (res instanceof Response) await res.body?.cancel();
    if (++failures >= RESUME_ATTEMPTS) {
      throw res instanceof Response ? httpError(res, `PATCH upload of ${digest}`) : res;
    }
    // Ask the registry how much of the session it has, and go on from there.
    const status = await transport.request(location, {}, scopes);
    await status.body?.cancel();
    if (status.status !== 204) throw httpError(status, `upload status of ${digest}`);
    location = absolute(transport, status.headers.get('location') ?? location);
    const range = /^(?:bytes=)?0-(\d+)$/.exec(status.headers.get('range') ?? '');
    offset = range ? Number(range[1]) + 1 : 0;
    progress.report('resumed', offset);
  }
  const sep = location.includes('?') ? '&' : '?';
  const done = await transport.request(
    `${location}${sep}digest=${encodeURIComponent(digest)}`,
    { method: 'PUT' },
    scopes,
  );
  await done.body?.cancel();
  if (done.status !== 201) throw httpError(done, `PUT upload of ${digest}`);
  progress.report('done', size);
  return 'uploaded';
}

async function readRange(blobs: BlobStore, digest: string, start: number, end: number): Promise<Buffer> {
  if (end < start) return Buffer.alloc(0);
  const data = await blobs.open(digest, { start, end });
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  const chunks: Buffer[] = [];
  for await (const chunk of data as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function absolute(transport: RegistryTransport, location: string | null): string {
  if (location === null) throw new GovcError('BAD_GATEWAY', 'The registry answered an upload without a Location');
  return new URL(location, transport.baseUrl).toString();
}

export function httpError(res: Response, what: string): GovcError {
  const code =
    res.status === 401
      ? 'UNAUTHORIZED'
      : res.status === 403
        ? 'FORBIDDEN'
        : res.status === 404
          ? 'NOT_FOUND'
          : 'BAD_GATEWAY';
  return new GovcError(code, `${what}: the registry answered ${res.status}`, { status: res.status });
}
