/**
 * Real clients against the registry: skopeo and buildah push and pull an OCI image made here, through the
 * headless server's /v2/ (API tokens as Basic passwords, the Bearer token flow) and the standalone port.
 * Pulled blobs are compared with the pushed ones bit for bit.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestHex } from '../../core/registry/digest';
import { tarLayer, writeImageLayout, type WrittenImage } from '../../core/registry/image-layout';
import { haveTools } from '../../testing/tools';
import { startTestServer, type TestServer } from '../../testing/server';
import { startRegistryServer, type RegistryServer } from './standalone';

const run = promisify(execFile);
const hasSkopeo = haveTools('skopeo');
const hasBuildah = haveTools('buildah');

/** Copies keep the layers as they are (uncompressed), so pushed and pulled bytes can be compared. */
async function skopeo(...args: string[]): Promise<string> {
  const keep = args[0] === 'copy' ? ['--preserve-digests', '--dest-oci-accept-uncompressed-layers'] : [];
  const { stdout } = await run('skopeo', ['--insecure-policy', ...args.slice(0, 1), ...keep, ...args.slice(1)], {
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function expectSameBlobs(image: WrittenImage, dir: string): Promise<void> {
  for (const layer of image.layers) {
    const pulled = await readFile(join(dir, 'blobs', 'sha256', digestHex(layer.digest)));
    expect(pulled.equals(layer.data)).toBe(true);
  }
  expect((await readFile(join(dir, 'blobs', 'sha256', digestHex(image.manifestDigest)))).equals(image.manifest)).toBe(
    true,
  );
}

describe.runIf(hasSkopeo)('registry interop with skopeo', () => {
  let server: TestServer;
  let work: string;
  let image: WrittenImage;
  let host: string;
  let devToken: string;
  let readerToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    host = server.url.replace('http://', '');
    work = await mkdtemp(join(tmpdir(), 'govc-interop-'));
    const layers = [
      await tarLayer([{ path: 'etc/hello.txt', data: Buffer.from('hello from govc\n') }]),
      await tarLayer([{ path: 'data/random.bin', data: randomBytes(3 * 1024 * 1024 + 17) }]),
    ];
    image = await writeImageLayout(join(work, 'src'), 'v1', layers, { 'org.example': 'interop' });
    const token = async (role: string) => {
      const res = await server.api('/api/v1/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `interop-${role}`, role }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    devToken = await token('developer');
    readerToken = await token('reader');
  });
  afterAll(async () => {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('pushes an OCI layout with --dest-creds any:<token> and pulls it back bit for bit', async () => {
    await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `any:${devToken}`,
      `oci:${join(work, 'src')}:v1`,
      `docker://${host}/team/app:v1`,
    );
    await skopeo(
      'copy',
      '--src-tls-verify=false',
      '--src-creds',
      `any:${readerToken}`,
      `docker://${host}/team/app:v1`,
      `oci:${join(work, 'back')}:v1`,
    );
    await expectSameBlobs(image, join(work, 'back'));
    const tags = await skopeo(
      'list-tags',
      '--tls-verify=false',
      '--creds',
      `any:${readerToken}`,
      `docker://${host}/team/app`,
    );
    expect(JSON.parse(tags)).toMatchObject({ Repository: `${host}/team/app`, Tags: ['v1'] });
    // The registry's folder is itself an OCI layout: skopeo reads the pushed image straight from disk.
    const raw = await skopeo('inspect', '--raw', `oci:${join(server.dataDir, 'store')}:team/app:v1`);
    expect(Buffer.from(raw).equals(image.manifest)).toBe(true);
  });

  it('refuses a push without credentials and a push by a reader', async () => {
    await expect(
      skopeo('copy', '--dest-tls-verify=false', `oci:${join(work, 'src')}:v1`, `docker://${host}/team/nocreds:v1`),
    ).rejects.toThrow(/unauthorized|authentication required/i);
    await expect(
      skopeo(
        'copy',
        '--dest-tls-verify=false',
        '--dest-creds',
        `any:${readerToken}`,
        `oci:${join(work, 'src')}:v1`,
        `docker://${host}/team/denied:v1`,
      ),
    ).rejects.toThrow(/denied|unauthorized/i);
  });

  it('lets anyone pull a repository opened to anonymous pulls, and only that one', async () => {
    await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `any:${devToken}`,
      `oci:${join(work, 'src')}:v1`,
      `docker://${host}/public/app:v1`,
    );
    const res = await server.api('/api/v1/registry/anonymous-pull/public/app', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true }),
    });
    expect(res.status).toBe(200);
    await skopeo('copy', '--src-tls-verify=false', `docker://${host}/public/app:v1`, `oci:${join(work, 'anon')}:v1`);
    await expectSameBlobs(image, join(work, 'anon'));
    await expect(
      skopeo('copy', '--src-tls-verify=false', `docker://${host}/team/app:v1`, `oci:${join(work, 'anon2')}:v1`),
    ).rejects.toThrow();
  });

  describe('standalone port', () => {
    let registry: RegistryServer;
    beforeAll(async () => {
      registry = await startRegistryServer({ engine: server.engine, host: '127.0.0.1', port: 0 });
    });
    afterAll(() => registry.close());

    it('serves the same repositories on its own port', async () => {
      const target = `docker://127.0.0.1:${registry.port}/team/app:v1`;
      await skopeo(
        'copy',
        '--src-tls-verify=false',
        '--src-creds',
        `any:${readerToken}`,
        target,
        `oci:${join(work, 'standalone')}:v1`,
      );
      await expectSameBlobs(image, join(work, 'standalone'));
    });
  });

  describe.runIf(hasBuildah)('buildah', () => {
    it('pulls and pushes with buildah (vfs storage)', async () => {
      const root = join(work, 'buildah-root');
      const runroot = join(work, 'buildah-run');
      const buildah = (...args: string[]) =>
        run('buildah', ['--root', root, '--runroot', runroot, '--storage-driver', 'vfs', ...args], {
          timeout: 120_000,
        });
      await buildah('pull', '--tls-verify=false', '--creds', `any:${readerToken}`, `docker://${host}/team/app:v1`);
      await buildah(
        'push',
        '--tls-verify=false',
        '--creds',
        `any:${devToken}`,
        `${host}/team/app:v1`,
        `docker://${host}/team/rebuilt:v2`,
      );
      const inspect = JSON.parse(
        await skopeo(
          'inspect',
          '--tls-verify=false',
          '--creds',
          `any:${readerToken}`,
          `docker://${host}/team/rebuilt:v2`,
        ),
      ) as { Labels: Record<string, string>; Layers: string[] };
      expect(inspect.Labels['org.example']).toBe('interop');
      expect(inspect.Layers).toHaveLength(2);
      await rm(root, { recursive: true, force: true }).catch(() => undefined);
    });
  });
});
