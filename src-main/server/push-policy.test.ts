/**
 * Pushes gated by the policy, over HTTP against a real server and its own registry: an image built from a
 * repository leaves while the repository's policy allows it and is refused (422 POLICY_BLOCKED, the rule
 * and line) once the policy at HEAD blocks it; an image no build produced is not gated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage, putImage } from '../core/build/oci/image';
import { buildBusyboxImage } from '../core/build/testing/busybox';
import { startTestServer, type TestServer } from '../testing/server';
import { haveTools } from '../testing/tools';

type Json = Record<string, unknown>;

const DOCKERFILE = 'FROM busybox\nCOPY passwd /etc/passwd\nUSER toor\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:toor:/root:/bin/sh\n';

describe.runIf(haveTools('busybox'))('pushes under the policy', () => {
  let server: TestServer;
  let host: string;

  const call = (method: string, path: string, body?: unknown) => server.call(method, path, body);
  const push = (ref: string, to: string) =>
    call('POST', '/images/push', {
      ref,
      destination: `${host}/${to}`,
      credentials: { username: 'any', password: server.token },
    });
  const commit = async (files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) await call('PUT', `/repos/shop/blob/${path}`, { content });
    expect((await call('POST', '/repos/shop/commit', { message: 'change' })).status).toBe(201);
  };

  beforeAll(async () => {
    server = await startTestServer({ rateLimit: { perSecond: 100_000, burst: 100_000 } });
    host = server.url.replace('http://', '');
    await buildBusyboxImage(server.engine.builds.store);
    expect((await call('POST', '/repos', { id: 'shop', persist: true })).status).toBe(201);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('pushes an image its policy allows, and refuses it once the policy at HEAD blocks it', async () => {
    // Warn mode: the root user is reported, the build and the push go through.
    await commit({
      Dockerfile: DOCKERFILE,
      passwd: PASSWD,
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: { severity: error, mode: warn }\n',
    });
    const created = await call('POST', '/repos/shop/containers/build', { dockerfile: 'Dockerfile', tags: ['shop:1'] });
    expect(created.status).toBe(202);
    let build: Json = {};
    for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      build = (await call('GET', `/repos/shop/containers/builds/${String(created.json.id)}`)).json;
      if (build.status === 'completed' || build.status === 'failed') break;
    }
    expect(build.status).toBe('completed');
    const allowed = await push('shop:1', 'shop/app:1');
    expect(allowed.status).toBe(200);
    expect(allowed.json.digest).toBe(build.digest);

    // The policy is tightened: the image built before is judged by the policy as it is now.
    await commit({ '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: error\n' });
    const refused = await push('shop:1', 'shop/app:2');
    expect(refused.status).toBe(422);
    const error = refused.json.error as { code: string; message: string; details: Json };
    expect(error.code).toBe('POLICY_BLOCKED');
    expect(error.message).toContain(
      `The policy of repository shop blocks pushing shop:1 (built by ${String(build.id)})`,
    );
    expect(error.message).toContain('GV1010 at Dockerfile:1: The built image runs as root (user "toor")');
    expect(error.details).toMatchObject({
      repo: 'shop',
      build: build.id,
      digest: build.digest,
      blocking: [{ rule: 'GV1010', line: 1 }],
    });
    // Nothing reached the registry under the refused tag.
    expect((await server.api('/v2/shop/app/manifests/1', { method: 'HEAD' })).status).toBe(200);
    expect((await server.api('/v2/shop/app/manifests/2', { method: 'HEAD' })).status).toBe(404);

    // A broken policy file blocks too: a broken policy must not become no policy.
    await commit({ '.govc/policy.yaml': 'version: 1\nrules: [\n' });
    const broken = await push('shop:1', 'shop/app:3');
    expect(broken.status).toBe(422);
    expect((broken.json.error as { message: string }).message).toContain('.govc/policy.yaml does not load');
  });

  it('judges only the Dockerfile, as builds do, when the repository has no policy file', async () => {
    // A base with a port no EXPOSE line shows: the image check (GV1063, an error by default) would refuse it.
    const store = server.engine.store;
    const base = await loadImage(store, 'busybox:latest');
    const odd = await putImage(
      store,
      { ...base.config, config: { ...base.config.config, ExposedPorts: { '70000/tcp': {} } } },
      base.manifest.layers,
    );
    await store.tag('odd-port:1', odd.descriptor);
    expect((await call('POST', '/repos', { id: 'plain', persist: true })).status).toBe(201);
    await call('PUT', '/repos/plain/blob/Dockerfile', { content: 'FROM odd-port:1\nCOPY a /a\nUSER 1000\n' });
    await call('PUT', '/repos/plain/blob/a', { content: 'a' });
    expect((await call('POST', '/repos/plain/commit', { message: 'app' })).status).toBe(201);
    const created = await call('POST', '/repos/plain/containers/build', {
      dockerfile: 'Dockerfile',
      tags: ['plain:1'],
    });
    let build: Json = {};
    for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      build = (await call('GET', `/repos/plain/containers/builds/${String(created.json.id)}`)).json;
      if (build.status === 'completed' || build.status === 'failed') break;
    }
    expect(build.status).toBe('completed');
    expect((await push('plain:1', 'plain/app:1')).status).toBe(200);

    // With a policy file, the same image is judged as a build would judge it now.
    await call('PUT', '/repos/plain/blob/.govc/policy.yaml', { content: 'version: 1\n' });
    expect((await call('POST', '/repos/plain/commit', { message: 'policy' })).status).toBe(201);
    const refused = await push('plain:1', 'plain/app:2');
    expect(refused.status).toBe(422);
    expect((refused.json.error as { message: string }).message).toContain('GV1063 at Dockerfile:1');
  });

  it('does not gate an image no build produced', async () => {
    // The busybox base runs as root, but it came from no repository, so no policy speaks for it.
    const busybox = server.engine.store.resolve('busybox:latest')!;
    await server.engine.store.tag('loose:1', busybox);
    const pushed = await push('loose:1', 'loose/base:1');
    expect(pushed.status).toBe(200);
    expect(pushed.json.digest).toBe(busybox.digest);
  });
});
