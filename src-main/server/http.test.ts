import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src-shared/client';
import { GovcError } from '../../src-shared/errors';
import { createLogger } from '../core/logging';
import { startTestServer, type TestServer } from '../testing/server';

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? '';
}

describe('headless HTTP server', () => {
  let server: TestServer;
  let logLines: string[];
  const rendererDir = mkdtempSync(join(tmpdir(), 'govc-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>govc Studio</title><div id="root"></div>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log("app")');

  beforeAll(async () => {
    const stream = new PassThrough();
    logLines = [];
    stream.on('data', (chunk: Buffer) => logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    server = await startTestServer({ rendererDir, logger: createLogger({ destination: { stream }, level: 'debug' }) });
  });
  afterAll(() => server.stop());

  it('answers /health without a token', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('binds to loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses the API without a token (401) and with a wrong one (401)', async () => {
    const none = await fetch(`${server.url}/api/v1/system/info`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await errorCode(none)).toBe('UNAUTHORIZED');
    const wrong = await fetch(`${server.url}/api/v1/system/info`, { headers: { authorization: 'Bearer govc_wrong' } });
    expect(wrong.status).toBe(401);
  });

  it('makes a round trip through the contract with the typed HTTP client', async () => {
    const client = createHttpClient({ baseUrl: server.url, token: server.token });
    const info = await client.invoke('system.info', {});
    expect(info).toMatchObject({ name: 'govc Studio', mode: 'headless', dataDir: server.dataDir });
    const echo = await client.invoke('system.echo', { message: 'hello' });
    expect(echo.message).toBe('hello');
  });

  it('rebuilds engine errors as GovcError with the field named', async () => {
    const client = createHttpClient({ baseUrl: server.url, token: server.token });
    const err = await client.invoke('system.echo', { message: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GovcError);
    expect((err as GovcError).code).toBe('VALIDATION_FAILED');
    expect((err as GovcError).message).toContain('message');
  });

  it('answers malformed JSON with 400 and an unknown route with a JSON 404', async () => {
    const bad = await server.api('/api/v1/system/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message": ',
    });
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('BAD_REQUEST');
    const missing = await server.api('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('NOT_FOUND');
  });

  it('refuses an oversized body with 413', async () => {
    const res = await server.api('/api/v1/system/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('trades the token in the URL for an HttpOnly session cookie and serves the app with a CSP', async () => {
    const noCookie = await fetch(`${server.url}/`);
    expect(noCookie.status).toBe(401);
    const badToken = await fetch(`${server.url}/?token=nope`, { redirect: 'manual' });
    expect(badToken.status).toBe(401);

    const exchange = await fetch(`${server.url}/?token=${encodeURIComponent(server.token)}`, { redirect: 'manual' });
    expect(exchange.status).toBe(303);
    expect(exchange.headers.get('location')).toBe('/');
    const setCookie = exchange.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/govc_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain(server.token);
    const cookie = setCookie.split(';')[0]!;

    const page = await fetch(`${server.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('govc Studio');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    const api = await fetch(`${server.url}/api/v1/system/info`, { headers: { cookie } });
    expect(api.status).toBe(200);

    const asset = await fetch(`${server.url}/app.js`);
    expect(asset.status).toBe(200);
  });

  it('refuses a cookie-authenticated write from another origin (403)', async () => {
    const exchange = await fetch(`${server.url}/?token=${encodeURIComponent(server.token)}`, { redirect: 'manual' });
    const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0]!;
    const res = await fetch(`${server.url}/api/v1/system/echo`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi' }),
    });
    expect(res.status).toBe(403);
  });

  it('streams events over SSE and resumes after Last-Event-ID', async () => {
    const client = createHttpClient({ baseUrl: server.url, token: server.token });
    const first = await client.invoke('system.echo', { message: 'one' });
    expect(first.message).toBe('one');
    const seqOfOne = server.engine.bus.since(0).find((e) => e.type === 'system.echo' && e.data.message === 'one')!.seq;
    await client.invoke('system.echo', { message: 'two' });

    const controller = new AbortController();
    const res = await server.api('/api/v1/events?types=system.echo', {
      headers: { 'last-event-id': String(seqOfOne) },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    setTimeout(() => void client.invoke('system.echo', { message: 'three' }), 50);
    while (!text.includes('"three"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).not.toContain('"one"');
    expect(text).toContain('"two"');
    expect(text).toContain('"three"');
    expect(text).toMatch(/^id: \d+$/m);
  });

  it('never writes the token to the log', async () => {
    await fetch(`${server.url}/?token=${encodeURIComponent(server.token)}`, { redirect: 'manual' });
    await server.api('/api/v1/system/info');
    await new Promise((r) => setTimeout(r, 100));
    const all = logLines.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).toContain('[redacted]');
    expect(all).not.toContain(server.token);
  });

  it('sends security headers', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('shutdown', () => {
  it('ends open event streams instead of waiting for them', async () => {
    const server = await startTestServer();
    const res = await server.api('/api/v1/events');
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    const rest = await reader.read();
    expect(rest.done).toBe(true);
  });
});
