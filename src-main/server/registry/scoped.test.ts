/**
 * Registry access per repository: a user's grant or a token's `repos` on `team/app` covers the registry
 * repositories `team/app` and `team/app/…` and nothing else, over /v2/ (Basic and the token flow, whose
 * scope is cut down to what is allowed), the catalog, cross-repository mounts, the contract requests, and
 * skopeo.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../core/registry/digest';
import { tarLayer, writeImageLayout } from '../../core/registry/image-layout';
import { startTestServer, type TestServer } from '../../testing/server';
import { haveTools } from '../../testing/tools';
import { pushImage, req, type Client } from './testkit';

const run = promisify(execFile);
const basic = (token: string) => `Basic ${Buffer.from(`any:${token}`).toString('base64')}`;

describe('registry permissions per repository', () => {
  let server: TestServer;
  let admin: Client;
  /** Role guest (reads everywhere) with a developer grant on team/app. */
  let alice: string;
  /** Role developer, limited to team/app. */
  let limited: string;
  const otherBlob = randomBytes(256);

  beforeAll(async () => {
    server = await startTestServer();
    admin = { url: server.url, headers: { authorization: `Bearer ${server.token}` } };
    for (const repo of ['team/app', 'team/app/cache', 'team/application', 'other/app']) {
      await pushImage(admin, repo, 'v1', [repo === 'other/app' ? otherBlob : randomBytes(64)]);
    }
    const user = await server.call('POST', '/users', {
      name: 'alice',
      role: 'guest',
      grants: { 'team/app': 'developer' },
    });
    expect(user.status).toBe(201);
    alice = (await server.call('POST', '/tokens', { name: 'alice', user: 'alice' })).json.token as string;
    limited = (await server.call('POST', '/tokens', { name: 'ci', role: 'developer', repos: ['team/app'] })).json
      .token as string;
  });
  afterAll(() => server.stop());

  const as = (token: string): Client => ({ url: server.url, headers: { authorization: basic(token) } });
  const code = async (res: Response) => ((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code;

  it('lets a grant on team/app push to team/app and under it, and refuses its siblings with 403 DENIED', async () => {
    await pushImage(as(alice), 'team/app', 'v2', [randomBytes(64)]);
    await pushImage(as(alice), 'team/app/cache', 'v2', [randomBytes(64)]);
    for (const repo of ['other/app', 'team/application']) {
      const denied = await req(as(alice), `/v2/${repo}/blobs/uploads/`, { method: 'POST' });
      expect(denied.status).toBe(403);
      expect(await code(denied)).toBe('DENIED');
    }
    // The guest role still reads everywhere.
    expect((await req(as(alice), '/v2/other/app/manifests/v1')).status).toBe(200);
  });

  it('keeps a token limited to team/app out of every other repository, for reads too', async () => {
    expect((await req(as(limited), '/v2/team/app/manifests/v1')).status).toBe(200);
    expect((await req(as(limited), '/v2/team/app/cache/tags/list')).status).toBe(200);
    const denied = await req(as(limited), '/v2/other/app/manifests/v1');
    expect(denied.status).toBe(403);
    expect(await code(denied)).toBe('DENIED');
    expect((await req(as(limited), '/v2/team/application/tags/list')).status).toBe(403);
    expect((await req({ url: server.url, headers: {} }, '/v2/team/app/manifests/v1')).status).toBe(401);
  });

  it('lists in the catalog and registry.repositories only what the caller may read', async () => {
    const catalog = await req(as(limited), '/v2/_catalog');
    expect(((await catalog.json()) as { repositories: string[] }).repositories).toEqual(['team/app', 'team/app/cache']);
    const paged = await req(as(limited), '/v2/_catalog?n=1');
    expect(((await paged.json()) as { repositories: string[] }).repositories).toEqual(['team/app']);
    expect(paged.headers.get('link')).toContain('last=team%2Fapp');
    const listed = await server.call('GET', '/registry/repositories', undefined, limited);
    expect((listed.json.repositories as Array<{ name: string }>).map((r) => r.name)).toEqual([
      'team/app',
      'team/app/cache',
    ]);
    expect(listed.json.count).toBe(2);
    expect((await server.call('GET', '/registry/repositories/team/app/cache', undefined, limited)).status).toBe(200);
    const refused = await server.call('GET', '/registry/repositories/other/app', undefined, limited);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: 'FORBIDDEN', details: { repo: 'other/app' } });
  });

  it('issues tokens for the allowed part of the scope only, as distribution token servers do', async () => {
    const ask = async (token: string, ...scopes: string[]) => {
      const query = scopes.map((s) => `scope=${encodeURIComponent(s)}`).join('&');
      const res = await fetch(`${server.url}/v2/token?service=govc-registry&${query}`, {
        headers: { authorization: basic(token) },
      });
      return (await res.json()) as { token: string; scope: string };
    };
    const both = await ask(limited, 'repository:team/app/cache:pull,push', 'repository:other/app:pull,push');
    expect(both.scope).toBe('repository:team/app/cache:pull,push');
    const bearer: Client = { url: server.url, headers: { authorization: `Bearer ${both.token}` } };
    await pushImage(bearer, 'team/app/cache', 'v3', [randomBytes(32)]);
    expect((await req(bearer, '/v2/other/app/manifests/v1')).status).toBe(403);
    expect((await ask(alice, 'repository:other/app:pull,push')).scope).toBe('repository:other/app:pull');
    expect((await ask(alice, 'repository:team/app:pull,push,delete')).scope).toBe(
      'repository:team/app:pull,push,delete',
    );
  });

  it('does not mount a blob from a repository the caller may not read: it opens an upload instead', async () => {
    const digest = digestOf(otherBlob);
    const refused = await req(as(limited), `/v2/team/app/blobs/uploads/?mount=${digest}&from=other/app`, {
      method: 'POST',
    });
    expect(refused.status).toBe(202);
    expect((await req(as(limited), `/v2/team/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
    // The same mount by someone who may read other/app, with a token whose scope does not name it.
    const scoped = await fetch(`${server.url}/v2/token?scope=repository:team/app:pull,push`, {
      headers: { authorization: basic(server.token) },
    });
    const bearer: Client = {
      url: server.url,
      headers: { authorization: `Bearer ${((await scoped.json()) as { token: string }).token}` },
    };
    const outOfScope = await req(bearer, `/v2/team/app/blobs/uploads/?mount=${digest}&from=other/app`, {
      method: 'POST',
    });
    expect(outOfScope.status).toBe(202);
    const mounted = await req(admin, `/v2/team/app/blobs/uploads/?mount=${digest}&from=other/app`, { method: 'POST' });
    expect(mounted.status).toBe(201);
  });

  it.runIf(haveTools('skopeo'))('lets skopeo push where the token allows, and fails where it does not', async () => {
    const work = await mkdtemp(join(tmpdir(), 'govc-scoped-'));
    try {
      const layers = [await tarLayer([{ path: 'hello.txt', data: Buffer.from('scoped\n') }])];
      await writeImageLayout(join(work, 'img'), 'v1', layers, {});
      const copy = (dest: string) =>
        run(
          'skopeo',
          [
            '--insecure-policy',
            'copy',
            '--dest-tls-verify=false',
            '--dest-creds',
            `any:${limited}`,
            `oci:${join(work, 'img')}:v1`,
            `docker://${server.url.replace('http://', '')}/${dest}`,
          ],
          { timeout: 60_000 },
        );
      await copy('team/app/skopeo:v1');
      expect((await req(admin, '/v2/team/app/skopeo/manifests/v1', { method: 'HEAD' })).status).toBe(200);
      await expect(copy('other/skopeo:v1')).rejects.toThrow(/denied|unauthorized|403/i);
      expect((await req(admin, '/v2/other/skopeo/tags/list')).status).toBe(404);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
