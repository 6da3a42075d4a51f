/**
 * The registry on its own port (e.g. 127.0.0.1:5000, what `docker://localhost:5000/…` expects), beside
 * the headless server: a separate fastify instance with the same plugin and the engine's tokens.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Engine } from '../../core/engine';
import { ServerAuth } from '../auth';
import { registryPlugin } from './plugin';

export interface RegistryServerOptions {
  engine: Engine;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Who may sign in; by default the engine's API tokens (pass one with an admin token added to allow it too). */
  auth?: ServerAuth;
}

export interface RegistryServer {
  app: FastifyInstance;
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startRegistryServer(options: RegistryServerOptions): Promise<RegistryServer> {
  const { engine } = options;
  const app = Fastify({
    loggerInstance: engine.logger.child({ component: 'registry' }) as FastifyBaseLogger,
    trustProxy: false,
  });
  await app.register(registryPlugin, { engine, auth: options.auth ?? new ServerAuth(engine.auth) });
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 5000 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    url: `http://${host}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () => app.close(),
  };
}
