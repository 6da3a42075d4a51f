/**
 * Upload sessions of the distribution spec: POST opens one, PATCH appends chunks strictly in order, PUT
 * closes it with the digest, DELETE cancels it. A session's bytes live in its BlobWriter (memory or a temp
 * file) and are invisible until the closing digest verifies. Sessions idle past the TTL are aborted.
 */
import { randomUUID } from 'node:crypto';
import type { DigestAlgorithm } from './digest';
import { RegistryError } from './errors';
import type { BlobStore, BlobWriter } from './storage';

export interface UploadSession {
  readonly id: string;
  readonly repo: string;
  readonly writer: BlobWriter;
  readonly startedAt: number;
  touchedAt: number;
  /** A request is writing: a second one at the same time could not know its offset. */
  busy: boolean;
}

/** `Content-Range` of a chunk: `<start>-<end>`, inclusive (a `bytes ` prefix and `/total` are tolerated). */
export function parseContentRange(value: string | undefined): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(value.trim());
  if (!match)
    throw new RegistryError('BLOB_UPLOAD_INVALID', `Invalid Content-Range: ${value.slice(0, 60)}`, undefined, 416);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw new RegistryError('BLOB_UPLOAD_INVALID', `Invalid Content-Range: ${value}`, undefined, 416);
  return { start, end };
}

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(
    private readonly store: BlobStore,
    private readonly now: () => number = Date.now,
  ) {}

  open(repo: string, algorithm: DigestAlgorithm): UploadSession {
    const session: UploadSession = {
      id: randomUUID(),
      repo,
      writer: this.store.writer(algorithm),
      startedAt: this.now(),
      touchedAt: this.now(),
      busy: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(repo: string, id: string): UploadSession {
    const session = this.sessions.get(id);
    if (session === undefined || session.repo !== repo)
      throw new RegistryError('BLOB_UPLOAD_UNKNOWN', `No upload ${id.slice(0, 64)} in ${repo}`, {
        upload: id.slice(0, 64),
      });
    return session;
  }

  /**
   * Appends a request body to a session. With a range, it must start where the session ends (416
   * otherwise); without one, the body is the next bytes. Returns the session's size after the write.
   */
  async append(
    session: UploadSession,
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    range?: { start: number; end: number },
    declaredLength?: number,
  ): Promise<number> {
    if (session.busy)
      throw new RegistryError('BLOB_UPLOAD_INVALID', 'Another request is writing this upload', undefined, 416);
    if (range !== undefined && range.start !== session.writer.size) {
      throw new RegistryError(
        'BLOB_UPLOAD_INVALID',
        `Chunk starts at ${range.start}, the upload has ${session.writer.size} bytes`,
        { offset: session.writer.size },
        416,
      );
    }
    session.busy = true;
    const before = session.writer.size;
    try {
      for await (const chunk of body) {
        await session.writer.write(chunk);
        session.touchedAt = this.now();
      }
      // The answer to a request means its bytes are written (a crash still loses them: sessions are in memory).
      await session.writer.settle?.();
    } finally {
      session.busy = false;
      session.touchedAt = this.now();
    }
    const received = session.writer.size - before;
    const expected = range !== undefined ? range.end - range.start + 1 : declaredLength;
    if (expected !== undefined && received !== expected) {
      throw new RegistryError('SIZE_INVALID', `Received ${received} bytes, the request declared ${expected}`, {
        received,
        expected,
      });
    }
    return session.writer.size;
  }

  /** Ends a session (after its commit, or to cancel it). */
  async close(session: UploadSession, abort: boolean): Promise<void> {
    this.sessions.delete(session.id);
    if (abort) await session.writer.abort();
  }

  /** Aborts sessions idle since before `before`; returns how many. */
  async expire(before: number): Promise<number> {
    const stale = [...this.sessions.values()].filter((s) => !s.busy && s.touchedAt < before);
    for (const session of stale) await this.close(session, true);
    return stale.length;
  }

  get size(): number {
    return this.sessions.size;
  }
}
