/**
 * Starts a real headless server on a loopback port for a test, with a silent logger and a temp data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { startHeadless, type HeadlessServer } from '../server/headless';
import type { RateLimitOptions } from '../server/ratelimit';

export interface TestServer extends HeadlessServer {
  token: string;
  dataDir: string;
  /** fetch against the server with the admin token (unless `headers.authorization` is given). */
  api(path: string, init?: RequestInit): Promise<Response>;
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
  return {
    ...server,
    token,
    dataDir,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
      return fetch(server.url + path, { ...init, headers });
    },
    async stop() {
      await server.close('test finished');
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
