/**
 * A test server that builds and pushes, for a describe block: the busybox base in its image store, a rate
 * limit no test reaches, and the API calls the push tests are made of (commit files, build a Dockerfile to
 * its end, push to the server's own registry), so each test says what it checks rather than how.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { buildBusyboxImage } from '../core/build/testing/busybox';
import { startTestServer, type ApiAnswer, type TestServer } from './server';

type Json = Record<string, unknown>;

const BUILD_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

export interface BuildServer {
  /** The running server; read it inside hooks and tests, it starts in this block's beforeAll. */
  readonly server: TestServer;
  /** A JSON call under /api/v1 as the admin. */
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** A repository kept on disk, as a user's would be. */
  createRepo(id: string): Promise<void>;
  /** Writes the files to the repository's work tree and commits them. */
  commit(repo: string, files: Record<string, string>): Promise<void>;
  /** Builds the committed Dockerfile with these tags and waits until it ends; it must complete. */
  build(repo: string, tags: string[]): Promise<Json>;
  /** Pushes a local image to `to` (name:tag) in the server's own registry, signing in with the admin token. */
  push(ref: string, to: string): Promise<ApiAnswer>;
}

/** Starts the server before the block's tests (before the block's own beforeAll) and stops it after them. */
export function useBuildServer(): BuildServer {
  let running: TestServer | undefined;
  const server = (): TestServer => {
    if (!running) throw new Error('The build server starts in beforeAll: use it inside a hook or a test');
    return running;
  };
  const call = (method: string, path: string, body?: unknown) => server().call(method, path, body);

  beforeAll(async () => {
    running = await startTestServer({ rateLimit: { perSecond: 100_000, burst: 100_000 } });
    await buildBusyboxImage(running.engine.builds.store);
  });
  afterAll(async () => {
    await running?.stop();
  });

  return {
    get server() {
      return server();
    },
    call,
    async createRepo(id) {
      expect((await call('POST', '/repos', { id, persist: true })).status).toBe(201);
    },
    async commit(repo, files) {
      for (const [path, content] of Object.entries(files))
        await call('PUT', `/repos/${repo}/blob/${path}`, { content });
      expect((await call('POST', `/repos/${repo}/commit`, { message: 'change' })).status).toBe(201);
    },
    async build(repo, tags) {
      const created = await call('POST', `/repos/${repo}/containers/build`, { dockerfile: 'Dockerfile', tags });
      expect(created.status).toBe(202);
      let build: Json = {};
      for (
        const end = Date.now() + BUILD_TIMEOUT_MS;
        Date.now() < end;
        await new Promise((r) => setTimeout(r, POLL_MS))
      ) {
        build = (await call('GET', `/repos/${repo}/containers/builds/${String(created.json.id)}`)).json;
        if (build.status === 'completed' || build.status === 'failed') break;
      }
      expect(build.status).toBe('completed');
      return build;
    },
    push(ref, to) {
      return call('POST', '/images/push', {
        ref,
        destination: `${server().url.replace('http://', '')}/${to}`,
        credentials: { username: 'any', password: server().token },
      });
    },
  };
}
