/**
 * The door of the API: tokens, users and grants, the audit log, rate limits, metrics and the OpenAPI
 * document, through a real HTTP server. The matrix walks every route the OpenAPI document lists.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type AssignableRole } from '../core/auth/roles';
import { startTestServer, type TestServer } from '../testing/server';
import { startHeadless } from './headless';

type Json = Record<string, unknown>;

async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

describe('API auth', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  async function createToken(body: Json): Promise<{ id: string; token: string }> {
    const res = await server.api('/api/v1/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; token: string };
  }

  const as = (token: string, path: string, init: RequestInit = {}) =>
    server.api(path, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });

  it('creates a token shown once, lists tokens without secrets, and revokes it', async () => {
    const { id, token } = await createToken({ name: 'ci', role: 'developer' });
    expect(token).toMatch(/^govc_/);
    expect(id).toMatch(/^tok_/);
    const whoami = await json(await as(token, '/api/v1/auth/whoami'));
    expect(whoami).toMatchObject({ id, name: 'ci', role: 'developer' });

    const listText = await (await server.api('/api/v1/tokens')).text();
    expect(listText).toContain(id);
    expect(listText).not.toContain(token);
    expect(listText).not.toMatch(/"hash"/);

    expect((await server.api(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await as(token, '/api/v1/auth/whoami')).status).toBe(401);
    expect((await server.api('/api/v1/tokens/tok_nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('expires tokens', async () => {
    const { token } = await createToken({ name: 'short', role: 'reader', expires_in: 1 });
    expect((await as(token, '/api/v1/auth/whoami')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await as(token, '/api/v1/auth/whoami')).status).toBe(401);
  });

  it('names the bad field of a token request (400)', async () => {
    const res = await server.api('/api/v1/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', role: 'emperor' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/^Invalid role/);
  });

  it('gives a user’s tokens the user’s role and grants, and follows changes at once', async () => {
    const created = await server.api('/api/v1/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ada', role: 'reader', grants: { app: 'developer' } }),
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };
    const { token } = await createToken({ name: 'ada laptop', user: user.id });
    expect(await json(await as(token, '/api/v1/auth/whoami'))).toMatchObject({
      id: user.id,
      role: 'reader',
      grants: { app: 'developer' },
    });
    await server.api(`/api/v1/users/${user.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin' }),
    });
    expect((await as(token, '/api/v1/tokens')).status).toBe(200);
    await server.api(`/api/v1/users/${user.id}`, { method: 'DELETE' });
    expect((await as(token, '/api/v1/auth/whoami')).status).toBe(401);
  });

  it('keeps an append-only audit log of changes and refusals', async () => {
    const { token } = await createToken({ name: 'auditee', role: 'reader' });
    await as(token, '/api/v1/tokens'); // refused: 403
    await fetch(`${server.url}/api/v1/tokens`); // refused: 401
    const { entries } = (await json(await server.api('/api/v1/audit?limit=50'))) as { entries: Json[] };
    expect(entries.some((e) => e.action === 'tokens.create' && e.actor === 'admin' && e.outcome === 'ok')).toBe(true);
    expect(entries.some((e) => e.action === 'tokens.list' && e.outcome === 'denied' && e.code === 'FORBIDDEN')).toBe(
      true,
    );
    expect(entries.some((e) => e.actor === 'anonymous' && e.code === 'UNAUTHORIZED')).toBe(true);
    const onlyCreates = (await json(await server.api('/api/v1/audit?action=tokens.create'))) as { entries: Json[] };
    expect(onlyCreates.entries.every((e) => e.action === 'tokens.create')).toBe(true);
  });

  it('serves an OpenAPI document generated from the contract, and a readable page', async () => {
    const doc = (await json(await fetch(`${server.url}/api/v1/openapi.json`))) as {
      openapi: string;
      paths: Record<string, Json>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/tokens']).toHaveProperty('post');
    const post = doc.paths['/api/v1/tokens']!.post as {
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
    };
    expect(post.requestBody.content['application/json'].schema.required).toContain('name');
    const page = await fetch(`${server.url}/api/v1/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('POST /api/v1/tokens');
  });

  it('serves health, readiness, version and admin-only metrics', async () => {
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    expect(await json(await fetch(`${server.url}/version`))).toHaveProperty('version');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const { token } = await createToken({ name: 'dev-metrics', role: 'developer' });
    expect((await as(token, '/metrics')).status).toBe(403);
    const metrics = await (await server.api('/metrics')).text();
    expect(metrics).toContain('govc_http_requests_total{');
    expect(metrics).toContain('govc_event_subscribers');
    expect(metrics).toContain('govc_builds_total');
  });

  it('walks every route: no token → 401, a role without the permission → 403, the right role → neither', async () => {
    const doc = (await json(await fetch(`${server.url}/api/v1/openapi.json`))) as {
      paths: Record<string, Record<string, { 'x-permission'?: string }>>;
    };
    const tokens = new Map<AssignableRole, string>();
    for (const role of ['admin', 'developer', 'reader', 'guest'] as const)
      tokens.set(role, (await createToken({ name: `matrix-${role}`, role })).token);
    const checked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const permission = op['x-permission'] ?? 'authenticated';
        if (permission === 'public') continue;
        const url = path.replace(/\{[^}]+\}/g, 'matrix');
        const call = async (token?: string): Promise<number> => {
          const controller = new AbortController();
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (token) headers.authorization = `Bearer ${token}`;
          const hasBody = !['get', 'head', 'delete'].includes(method);
          const res = await fetch(server.url + url, {
            method: method.toUpperCase(),
            headers,
            signal: controller.signal,
            ...(hasBody ? { body: '{}' } : {}),
          });
          controller.abort(); // event streams stay open
          return res.status;
        };
        expect([url, method, await call()]).toEqual([url, method, 401]);
        const lacking = (['guest', 'reader', 'developer'] as const).find(
          (role) => permission !== 'authenticated' && !ROLE_PERMISSIONS[role].includes(permission as never),
        );
        if (lacking)
          expect([url, method, lacking, await call(tokens.get(lacking))]).toEqual([url, method, lacking, 403]);
        const allowed = (['guest', 'reader', 'developer', 'admin'] as const).find(
          (role) => permission === 'authenticated' || ROLE_PERMISSIONS[role].includes(permission as never),
        )!;
        const status = await call(tokens.get(allowed));
        expect([url, method, allowed, status === 401 || status === 403]).toEqual([url, method, allowed, false]);
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(10);
  });
});

describe('API protection', () => {
  it('rate-limits per token with 429 and Retry-After', async () => {
    const server = await startTestServer({ rateLimit: { perSecond: 1, burst: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await server.api('/api/v1/auth/whoami')).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      const limited = await server.api('/api/v1/auth/whoami');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await server.stop();
    }
  });

  it('keeps tokens across a restart of the engine', async () => {
    const first = await startTestServer();
    const res = await first.api('/api/v1/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'durable', role: 'reader' }),
    });
    const { token } = (await res.json()) as { token: string };
    await first.close();
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const who = await fetch(`${second.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${token}` } });
      expect(who.status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('refuses to listen beyond loopback with a generated token', async () => {
    await expect(
      startHeadless({
        host: '0.0.0.0',
        port: 0,
        dataDir: '/tmp/unused',
        rendererDir: '/tmp/unused',
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toThrow(/GOVC_TOKEN/);
  });
});
