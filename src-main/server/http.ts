/**
 * The headless server: REST API under /api/v1 (generated from the contract), the event stream, health,
 * and the renderer as a web app. The Electron shell can run the same server when its setting asks for it.
 */
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { GovcError } from '../../src-shared/errors';
import type { Engine } from '../core/engine';
import { stripSecretsFromUrl } from '../core/logging';
import { type ServerAuth } from './auth';
import { sendError } from './errors';
import { registerContractRoutes } from './routes/contract';
import { registerEventRoutes } from './routes/events';
import { registerWebRoutes } from './routes/web';
import { registerSecurityHeaders } from './security';

export interface HttpServerOptions {
  engine: Engine;
  auth: ServerAuth;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  bodyLimit?: number;
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { engine, auth } = options;
  // Tokens may travel in `/?token=`: request logs carry the URL with that stripped, never the raw one.
  const httpLogger = engine.logger.child(
    { component: 'http' },
    {
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: stripSecretsFromUrl(req.url) }),
      },
    },
  );
  const app = Fastify({
    loggerInstance: httpLogger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
  });

  await app.register(fastifyCookie);
  registerSecurityHeaders(app);
  app.setErrorHandler((err, request, reply) => sendError(reply, request, err as FastifyError));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      request,
      new GovcError('NOT_FOUND', `No route for ${request.method} ${stripSecretsFromUrl(request.url)}`),
    ),
  );

  app.get('/health', async () => ({ status: 'ok', version: engine.version }));
  registerContractRoutes(app, engine, auth);
  registerEventRoutes(app, engine, auth);
  registerWebRoutes(app, auth, options.rendererDir);
  return app;
}
