/**
 * Starts the engine and its HTTP server together: what `govc serve` runs, and what the e2e tests start.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { GovcError } from '../../src-shared/errors';
import { createEngine, type Engine } from '../core/engine';
import { newSecret } from '../core/auth/tokens';
import { ServerAuth } from './auth';
import { createHttpServer } from './http';
import type { RateLimitOptions } from './ratelimit';

export interface HeadlessOptions {
  host: string;
  port: number;
  dataDir: string;
  rendererDir: string;
  logger: Logger;
  rateLimit?: RateLimitOptions;
  /** The admin token; when absent one is generated and appears only in the ready URL. */
  token?: string;
}

export interface HeadlessServer {
  engine: Engine;
  app: FastifyInstance;
  url: string;
  /** The URL that signs a browser in; it carries the token only when the server generated it. */
  readyUrl: string;
  tokenGenerated: boolean;
  close(reason?: string): Promise<void>;
}

/** The token from `--token-file`, else `GOVC_TOKEN`, else none (one is generated). */
export function resolveToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (tokenFile !== undefined) {
    const token = readFileSync(tokenFile, 'utf8').trim();
    if (!token) throw new GovcError('BAD_REQUEST', `The token file ${tokenFile} is empty`);
    return token;
  }
  return env.GOVC_TOKEN?.trim() || undefined;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startHeadless(options: HeadlessOptions): Promise<HeadlessServer> {
  if (!isLoopback(options.host) && options.token === undefined) {
    throw new GovcError(
      'BAD_REQUEST',
      `Refusing to listen on ${options.host} with a generated token: set GOVC_TOKEN or --token-file to serve beyond this machine`,
    );
  }
  if (options.token !== undefined && options.token.length < 16) {
    throw new GovcError('BAD_REQUEST', 'The token must be at least 16 characters long');
  }
  const engine = createEngine({ dataDir: options.dataDir, mode: 'headless', logger: options.logger });
  const auth = new ServerAuth(engine.auth);
  const token = options.token ?? newSecret();
  auth.addAdminToken(token);
  const app = await createHttpServer({
    engine,
    auth,
    rendererDir: options.rendererDir,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    await engine.close('failed to listen');
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  const tokenGenerated = options.token === undefined;
  let closing: Promise<void> | undefined;
  return {
    engine,
    app,
    url,
    readyUrl: tokenGenerated ? `${url}/?token=${encodeURIComponent(token)}` : `${url}/?token=<GOVC_TOKEN>`,
    tokenGenerated,
    close(reason = 'shutdown') {
      closing ??= (async () => {
        await app.close();
        await engine.close(reason);
      })();
      return closing;
    },
  };
}
