/**
 * Registry credentials: API tokens as Basic passwords or bearer tokens, the Docker token flow with scopes
 * cut down to the caller's role, anonymous pulls per repository, and the 401/403 answers clients act on.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server';
import { pushImage, req, type Client } from './testkit';

const basic = (token: string) => `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}`;

describe('registry auth', () => {
  let server: TestServer;
  let dev: string;
  let reader: string;
  beforeAll(async () => {
    server = await startTestServer();
    const make = async (role: string) =>
      (
        (await (
          await server.api('/api/v1/tokens', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: `reg-${role}`, role }),
          })
        ).json()) as { token: string }
      ).token;
    dev = await make('developer');
    reader = await make('reader');
  });
  afterAll(() => server.stop());

  const as = (authorization?: string): Client => ({ url: server.url, headers: authorization ? { authorization } : {} });

  it('takes an API token as the Basic password: writers push, readers pull, others are refused', async () => {
    await pushImage(as(basic(dev)), 'basic/app', 'v1', [randomBytes(64)]);
    expect((await req(as(basic(reader)), '/v2/basic/app/manifests/v1')).status).toBe(200);
    const denied = await req(as(basic(reader)), '/v2/basic/app/blobs/uploads/', { method: 'POST' });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('DENIED');
    const wrong = await req(as(basic('govc_not_a_token')), '/v2/basic/app/manifests/v1');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('issues scoped short-lived tokens and asks for a new one when the scope does not cover a request', async () => {
    const res = await fetch(`${server.url}/v2/token?service=govc-registry&scope=repository:flow/app:pull,push`, {
      headers: { authorization: basic(dev) },
    });
    const body = (await res.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.token).toBe(body.access_token);
    expect(body.expires_in).toBeGreaterThan(0);
    const bearer = as(`Bearer ${body.token}`);
    await pushImage(bearer, 'flow/app', 'v1', [randomBytes(32)]);
    const outside = await req(bearer, '/v2/other/app/blobs/uploads/', { method: 'POST' });
    expect(outside.status).toBe(401);
    expect(outside.headers.get('www-authenticate')).toContain(
      'scope="repository:other/app:pull,push",error="insufficient_scope"',
    );
    expect(
      (
        await fetch(`${server.url}/v2/token?scope=repository:flow/app:pull`, {
          headers: { authorization: basic('nope') },
        })
      ).status,
    ).toBe(401);
  });

  it('never grants more than the role allows', async () => {
    const res = await fetch(`${server.url}/v2/token?service=govc-registry&scope=repository:flow/app:pull,push`, {
      headers: { authorization: basic(reader) },
    });
    const { token, scope } = (await res.json()) as { token: string; scope: string };
    expect(scope).toBe('repository:flow/app:pull');
    expect((await req(as(`Bearer ${token}`), '/v2/flow/app/manifests/v1')).status).toBe(200);
    expect((await req(as(`Bearer ${token}`), '/v2/flow/app/blobs/uploads/', { method: 'POST' })).status).toBe(403);
  });

  it('gives anonymous tokens pulls of public repositories only', async () => {
    await pushImage(as(basic(dev)), 'open/app', 'v1', [randomBytes(32)]);
    const ask = async () =>
      (await (
        await fetch(`${server.url}/v2/token?scope=repository:open/app:pull&scope=repository:flow/app:pull`)
      ).json()) as {
        token: string;
        scope: string;
      };
    expect((await ask()).scope).toBe('');
    expect((await req(as(), '/v2/open/app/manifests/v1')).status).toBe(401);
    const set = await server.api('/api/v1/registry/anonymous-pull/open/app', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true }),
    });
    expect(await set.json()).toEqual({ repo: 'open/app', anonymous_pull: true });
    const { token, scope } = await ask();
    expect(scope).toBe('repository:open/app:pull');
    expect((await req(as(`Bearer ${token}`), '/v2/open/app/manifests/v1')).status).toBe(200);
    expect((await req(as(), '/v2/open/app/manifests/v1')).status).toBe(200);
    expect((await req(as(), '/v2/flow/app/manifests/v1')).status).toBe(401);
    expect((await req(as(), '/v2/open/app/blobs/uploads/', { method: 'POST' })).status).toBe(401);
    expect((await req(as(), '/v2/_catalog')).status).toBe(401);
  });

  it('lets only repository admins open a repository to anonymous pulls', async () => {
    const res = await fetch(`${server.url}/api/v1/registry/anonymous-pull/open/app`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${dev}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(res.status).toBe(403);
  });

  it('supports the OAuth2 password grant Docker uses to log in', async () => {
    const res = await fetch(`${server.url}/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'x',
        password: dev,
        service: 'govc-registry',
        scope: 'repository:flow/app:pull',
      }),
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    expect((await req(as(`Bearer ${access_token}`), '/v2/')).status).toBe(200);
  });
});
