/**
 * Starts a real headless server on a loopback port for a test, with a silent logger and a temp data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { startHeadless, type HeadlessServer } from '../server/headless';
import type { RateLimitOptions } from '../server/ratelimit';

export interface ApiAnswer {
  status: number;
  json: Record<string, unknown>;
  text: string;
}

export interface TestServer extends HeadlessServer {
  token: string;
  dataDir: string;
  /** fetch against the server with the admin token (unless `headers.authorization` is given). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /**
   * A JSON call under /api/v1: the body is sent as JSON, the answer parsed when it is JSON. `token` acts as
   * another caller; `''` sends no credentials at all.
   */
  call(method: string, path: string, body?: unknown, token?: string): Promise<ApiAnswer>;
  stop(): Promise<void>;
}

export async function startTestServer(
  options: { rendererDir?: string; logger?: Logger; dataDir?: string; rateLimit?: RateLimitOptions } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'govc-test-'));
  const token = `govc_test_${Math.random().toString(36).slice(2)}_${Date.now()}`;
  const server = await startHeadless({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    rendererDir: options.rendererDir ?? join(dataDir, 'no-renderer'),
    logger: options.logger ?? pino({ level: 'silent' }),
    token,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const api = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetch(server.url + path, { ...init, headers });
  };
  return {
    ...server,
    token,
    dataDir,
    api,
    async call(method, path, body, as) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (as !== undefined) headers.authorization = as === '' ? '' : `Bearer ${as}`;
      const res = await api(`/api/v1${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        if (text) json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Not JSON (a log, a raw file): the text is there.
      }
      return { status: res.status, json, text };
    },
    async stop() {
      await server.close('test finished');
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
