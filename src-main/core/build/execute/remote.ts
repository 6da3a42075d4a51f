/**
 * ADD of http(s) URLs. Each URL is downloaded at most once per build, streamed into a private temp folder
 * with a size cap and a timeout, and hashed on the way. Docker's rules: the file is named after the URL's
 * last path segment when the destination is a folder, gets mode 0600 and the `Last-Modified` time, and is
 * never extracted even when it is an archive. With `--checksum` the cache key is the checksum, so a cached
 * step downloads nothing; without it the key is the content digest, so a changed file misses with
 * "content of URL changed".
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import type { CopyItem } from './sources';

export interface DownloadLimits {
  /** Largest accepted body, in bytes. */
  maxBytes: number;
  /** Whole download, headers to last byte. */
  timeoutMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { maxBytes: 2 * 1024 ** 3, timeoutMs: 10 * 60_000 };

interface Download {
  path: string;
  /** `sha256:<hex>` of the body. */
  digest: string;
  /** Seconds since the epoch, from `Last-Modified`. */
  lastModified?: number;
}

export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Docker treats these as git repositories, not files: git://, git@host:, and http(s) URLs ending in .git. */
export function isGitUrl(source: string): boolean {
  return /^git:\/\/|^git@|^ssh:\/\//i.test(source) || (isHttpUrl(source) && /\.git(#.*)?$/i.test(source));
}

/** The file name a URL downloads to when the destination is a folder (BuildKit's `__unnamed__` fallback). */
export function urlFileName(url: string): string {
  const base = posix.basename(new URL(url).pathname);
  return base === '' || base === '/' || base === '.' ? '__unnamed__' : decodeURIComponent(base);
}

/** `sha256:<64 hex>`, the only form Docker accepts for `ADD --checksum`. */
export function parseChecksum(value: string | undefined, where: string): string | undefined {
  if (value === undefined) return undefined;
  const match = /^sha256:([0-9a-f]{64})$/i.exec(value);
  if (!match) throw new GovcError('BAD_FLAG', `${where}: --checksum=${value}: expected sha256:<64 hex digits>`);
  return `sha256:${match[1]!.toLowerCase()}`;
}

export class RemoteSources {
  private folder: Promise<string> | undefined;
  private readonly downloads = new Map<string, Promise<Download>>();

  constructor(
    private readonly limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * The cache identity of a URL source: the checksum when given (nothing is downloaded), else the digest
   * of the downloaded bytes and their time, since both end up in the layer.
   */
  async identity(url: string, checksum: string | undefined): Promise<string> {
    if (checksum !== undefined) return checksum;
    const download = await this.fetch(url);
    return download.lastModified === undefined ? download.digest : `${download.digest}@${download.lastModified}`;
  }

  /** The downloaded file as a copy item, its checksum verified; `where` names the Dockerfile line. */
  async item(url: string, destRel: string, checksum: string | undefined, where: string): Promise<CopyItem> {
    const download = await this.fetch(url);
    if (checksum !== undefined && checksum !== download.digest)
      throw new GovcError(
        'CHECKSUM_MISMATCH',
        `${where}: ${url}: checksum mismatch: --checksum=${checksum} but the download is ${download.digest}`,
        { url, expected: checksum, actual: download.digest },
      );
    return {
      host: download.path,
      sourcePath: url,
      destRel,
      type: 'file',
      mode: 0o600,
      remote: true,
      ...(download.lastModified === undefined ? {} : { mtime: download.lastModified }),
    };
  }

  async dispose(): Promise<void> {
    const folder = this.folder;
    this.folder = undefined;
    this.downloads.clear();
    if (folder) await rm(await folder, { recursive: true, force: true });
  }

  private fetch(url: string): Promise<Download> {
    let download = this.downloads.get(url);
    if (!download) {
      download = this.download(url);
      this.downloads.set(url, download);
    }
    return download;
  }

  private async download(url: string): Promise<Download> {
    this.folder ??= mkdtemp(join(tmpdir(), 'govc-add-'));
    const path = join(await this.folder, `${this.downloads.size}`);
    const timeout = AbortSignal.timeout(this.limits.timeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    try {
      const response = await fetch(url, { signal, redirect: 'follow' });
      if (!response.ok || !response.body)
        throw new GovcError('DOWNLOAD_FAILED', `ADD ${url}: the server answered ${response.status}`, {
          url,
          status: response.status,
        });
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > this.limits.maxBytes) throw tooLarge(url, this.limits.maxBytes);
      const hash = createHash('sha256');
      const out = createWriteStream(path, { mode: 0o600 });
      let size = 0;
      try {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > this.limits.maxBytes) throw tooLarge(url, this.limits.maxBytes);
          hash.update(chunk);
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
      } finally {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
      const modified = Date.parse(response.headers.get('last-modified') ?? '');
      return {
        path,
        digest: `sha256:${hash.digest('hex')}`,
        ...(Number.isNaN(modified) ? {} : { lastModified: Math.floor(modified / 1000) }),
      };
    } catch (err) {
      if (err instanceof GovcError) throw err;
      if (this.signal?.aborted) throw new GovcError('CANCELLED', 'The build was cancelled');
      if (timeout.aborted)
        throw new GovcError('DOWNLOAD_FAILED', `ADD ${url}: no complete answer within ${this.limits.timeoutMs} ms`, {
          url,
        });
      // fetch says only "fetch failed"; the cause names the real problem (refused, DNS, TLS).
      const cause = (err as Error & { cause?: Error }).cause;
      throw new GovcError('DOWNLOAD_FAILED', `ADD ${url}: ${cause?.message ?? (err as Error).message}`, { url });
    }
  }
}

function tooLarge(url: string, maxBytes: number): GovcError {
  return new GovcError('DOWNLOAD_TOO_LARGE', `ADD ${url}: larger than the ${maxBytes}-byte limit`, { url, maxBytes });
}
