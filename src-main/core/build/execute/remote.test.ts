import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheIndex } from '../plan/cache-index';
import type { Executor } from '../sandbox/executor';
import { materialise } from '../sandbox/rootfs';
import { ContentStore } from '../store/content-store';
import { buildImage, type BuildEngine, type BuildRequest } from './build';
import type { BuildEvent } from './events';
import { isGitUrl, urlFileName } from './remote';

const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
const LAST_MODIFIED_SECONDS = Date.parse(LAST_MODIFIED) / 1000;

/** A tar header block (ustar magic and checksum), enough for the archive sniffer to call it a tar. */
function tarLike(): Buffer {
  const block = Buffer.alloc(1024);
  block.write('inner.txt', 0);
  block.write('ustar', 257);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += block[i]!;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const sha = (bytes: string | Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('ADD <url>', () => {
  let work: string;
  let server: Server;
  let base: string;
  let engine: BuildEngine;
  let changing = 'first';
  const hits: Record<string, number> = {};

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-add-url-'));
    await mkdir(join(work, 'context'));
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      hits[path] = (hits[path] ?? 0) + 1;
      if (path === '/files/hello.txt') res.writeHead(200, { 'Last-Modified': LAST_MODIFIED }).end('hello\n');
      else if (path === '/pkg.tar') res.end(tarLike());
      else if (path === '/changing.txt') res.end(changing);
      else if (path === '/big.bin') res.end(Buffer.alloc(64 * 1024));
      else if (path === '/hang')
        res.writeHead(200).write('partial'); // never ends: the timeout must
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Never keeps the test process alive, even if a test leaves a request hanging.
    server.unref();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const noRun: Executor = {
      availability: () => Promise.resolve({ available: false, reason: 'not needed' }),
      run: () => Promise.reject(new Error('ADD must not run commands')),
    } as unknown as Executor;
    engine = { store: ContentStore.inMemory(), cache: CacheIndex.inMemory(), executor: noRun, dataDir: work };
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  async function build(dockerfile: string, extra: Partial<BuildRequest> = {}) {
    const events: BuildEvent[] = [];
    const result = await buildImage(engine, {
      contextDir: join(work, 'context'),
      dockerfile,
      onEvent: (event) => events.push(event),
      ...extra,
    });
    const rootfs = await mkdtemp(join(work, 'rootfs-'));
    await materialise(engine.store, result.image.manifest.layers, rootfs);
    return { result, rootfs, events };
  }

  it('names the file as Docker does, gives it 0600 and the Last-Modified time, and never extracts', async () => {
    const { rootfs } = await build(
      `FROM scratch\nADD ${base}/files/hello.txt /dl/\nADD ${base}/files/hello.txt /named.txt\nADD ${base}/pkg.tar /pkg/\n`,
      { sourceDateEpoch: 2_000_000_000 },
    );
    const file = await lstat(join(rootfs, 'dl/hello.txt'));
    expect(await readFile(join(rootfs, 'dl/hello.txt'), 'utf8')).toBe('hello\n');
    expect(file.mode & 0o7777).toBe(0o600);
    expect(file.mtimeMs / 1000).toBe(LAST_MODIFIED_SECONDS);
    expect(await readFile(join(rootfs, 'named.txt'), 'utf8')).toBe('hello\n');
    expect(await readdir(join(rootfs, 'pkg'))).toEqual(['pkg.tar']);
  });

  it('applies --chown and --chmod, and clamps the time to SOURCE_DATE_EPOCH', async () => {
    const { rootfs } = await build(`FROM scratch\nADD --chown=1000:1001 --chmod=755 ${base}/files/hello.txt /bin/hi\n`);
    const file = await lstat(join(rootfs, 'bin/hi'));
    expect([file.uid, file.gid, file.mode & 0o7777, file.mtimeMs]).toEqual([1000, 1001, 0o755, 0]);
  });

  it('verifies --checksum, naming the line and both digests, and keys the cache by it', async () => {
    const good = sha('hello\n');
    const wrong = sha('something else');
    const dockerfile = (sum: string) => `FROM scratch\nADD --checksum=${sum} ${base}/files/hello.txt /c.txt\n`;
    await expect(build(dockerfile(wrong))).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      message: expect.stringMatching(new RegExp(`^Dockerfile:2: .*${wrong}.*${good}`)),
    });
    await build(dockerfile(good));
    const before = hits['/files/hello.txt'];
    const again = await build(dockerfile(good));
    expect(again.result.cachedSteps).toBe(1);
    expect(hits['/files/hello.txt']).toBe(before); // a cached step with a checksum downloads nothing
    await expect(build(dockerfile('md5:abc'))).rejects.toMatchObject({ code: 'BAD_FLAG' });
  });

  it('without a checksum, keys the cache by the content and says when it changed', async () => {
    const dockerfile = `FROM scratch\nADD ${base}/changing.txt /x.txt\n`;
    changing = 'first';
    await build(dockerfile);
    expect((await build(dockerfile)).result.cachedSteps).toBe(1);
    changing = 'second';
    const { events, rootfs } = await build(dockerfile);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'miss',
        reason: `ADD ${base}/changing.txt /x.txt: content of ${base}/changing.txt changed`,
      }),
    );
    expect(await readFile(join(rootfs, 'x.txt'), 'utf8')).toBe('second');
  });

  it('stops at the size limit and the timeout, and on errors from the server', async () => {
    await expect(
      build(`FROM scratch\nADD ${base}/big.bin /b\n`, { downloadLimits: { maxBytes: 1024 } }),
    ).rejects.toMatchObject({ code: 'DOWNLOAD_TOO_LARGE' });
    await expect(
      build(`FROM scratch\nADD ${base}/hang /h\n`, { downloadLimits: { timeoutMs: 300 } }),
    ).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', message: expect.stringContaining('300 ms') });
    await expect(build(`FROM scratch\nADD ${base}/missing /m\n`)).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
      message: expect.stringContaining('404'),
    });
  });

  it('refuses git sources and URLs in COPY', async () => {
    await expect(build('FROM scratch\nADD https://github.com/moby/moby.git /src\n')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('Dockerfile:2'),
    });
    await expect(build('FROM scratch\nADD git@github.com:moby/moby.git /src\n')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    await expect(build(`FROM scratch\nCOPY ${base}/files/hello.txt /x\n`)).rejects.toMatchObject({
      code: 'BAD_COPY_SOURCE',
    });
  });

  it('names downloads after the last path segment', () => {
    expect(urlFileName('https://example.com/a/b/tool.tar.gz?x=1')).toBe('tool.tar.gz');
    expect(urlFileName('https://example.com/')).toBe('__unnamed__');
    expect(isGitUrl('https://example.com/repo.git#main')).toBe(true);
    expect(isGitUrl('https://example.com/file.txt')).toBe(false);
  });
});
