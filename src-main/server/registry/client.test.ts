/**
 * The registry client against this engine's own registry: an image built into the engine's store and
 * pushed through `images.push` is stored once, skopeo pulls it by tag, and the client speaks both the
 * Bearer token flow and Basic, with credentials given or read from a docker config.json.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlatform, putImage, type StoredImage } from '../../core/build/oci/image';
import { MediaType } from '../../core/build/oci/types';
import { ContentStore } from '../../core/build/store/content-store';
import { RegistryClient } from '../../core/registry/client/client';
import { digestHex } from '../../core/registry/digest';
import { tarLayer } from '../../core/registry/image-layout';
import { haveTools } from '../../testing/tools';
import { startTestServer, type TestServer } from '../../testing/server';

const run = promisify(execFile);

describe.runIf(haveTools('docker-registry', 'skopeo'))('registry client against our registry', () => {
  let server: TestServer;
  let host: string;
  let image: StoredImage;
  const work = mkdtempSync(join(tmpdir(), 'govc-client-'));

  beforeAll(async () => {
    server = await startTestServer();
    host = server.url.replace('http://', '');
    const store = server.engine.store;
    const layers = [
      await tarLayer([{ path: 'app/data.bin', data: randomBytes(2 * 1024 * 1024) }]),
      await tarLayer([{ path: 'etc/hello', data: Buffer.from('hello\n') }]),
    ];
    const blobs = await Promise.all(layers.map((l) => store.put(l)));
    image = await putImage(
      store,
      {
        ...hostPlatform(),
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: blobs.map((b) => b.digest) },
        history: [],
      },
      blobs.map((b) => ({ mediaType: MediaType.layerTar, ...b })),
    );
    await store.tag('team/app:v1', image.descriptor);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('pushes a built image through images.push (Bearer flow) and stores each layer once', async () => {
    const res = await server.api('/api/v1/images/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ref: 'team/app:v1',
        destination: `${host}/team/app:v1`,
        credentials: { username: 'any', password: server.token },
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ digest: image.descriptor.digest, uploaded: 3, skipped: 0 });
    // Pushing again, to another tag and another repository, stores nothing new.
    await server.engine.images.push('team/app:v1', `${host}/team/app:v2`, { username: 'any', password: server.token });
    await server.engine.images.push('team/app:v1', `${host}/mirror/app:v1`, {
      username: 'any',
      password: server.token,
    });
    const files = readdirSync(join(server.dataDir, 'store', 'blobs', 'sha256'));
    const expected = [
      image.descriptor.digest,
      image.manifest.config.digest,
      ...image.manifest.layers.map((l) => l.digest),
    ];
    expect(files.sort()).toEqual(expected.map(digestHex).sort());
    expect(server.engine.registry.tags('mirror/app')).toEqual(['v1']);
    const events = server.engine.bus.since(0).filter((e) => e.type === 'registry.transfer.progress');
    expect(events.some((e) => e.type === 'registry.transfer.progress' && e.data.state === 'done')).toBe(true);
  });

  it('serves the built image to skopeo by its tag, bit for bit', async () => {
    const dest = join(work, 'pulled');
    await run('skopeo', [
      '--insecure-policy',
      'copy',
      '--src-tls-verify=false',
      '--src-creds',
      `any:${server.token}`,
      '--preserve-digests',
      '--dest-oci-accept-uncompressed-layers',
      `docker://${host}/team/app:v1`,
      `oci:${dest}:v1`,
    ]);
    for (const d of [image.descriptor.digest, ...image.manifest.layers.map((l) => l.digest)]) {
      const pulled = readFileSync(join(dest, 'blobs', 'sha256', digestHex(d)));
      expect(pulled.equals(await server.engine.store.get(d))).toBe(true);
    }
  });

  it('pulls with Basic auth, and with credentials from a docker config.json in HOME', async () => {
    const basic = ContentStore.inMemory();
    const client = new RegistryClient(basic, { authSchemes: ['basic'] });
    const pulled = await client.pull(`${host}/team/app:v1`, { username: 'any', password: server.token });
    expect(pulled.descriptor.digest).toBe(image.descriptor.digest);

    const home = join(work, 'home');
    mkdirSync(join(home, '.docker'), { recursive: true });
    const auth = Buffer.from(`any:${server.token}`).toString('base64');
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }));
    const fromFile = new RegistryClient(ContentStore.inMemory(), { env: { HOME: home } });
    expect((await fromFile.pull(`${host}/team/app:v1`)).descriptor.digest).toBe(image.descriptor.digest);
    await expect(
      new RegistryClient(ContentStore.inMemory(), { env: { HOME: work } }).pull(`${host}/team/app:v1`),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
