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
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './ratelimit';
import { registerContractRoutes } from './routes/contract';
import { registerBuildLogRoutes } from './routes/build-logs';
import { registerEventRoutes } from './routes/events';
import { registerFileRoutes } from './routes/files';
import type { Guard } from './routes/guard';
import { registerMetaRoutes } from './routes/meta';
import { registerRegistryRoutes } from './routes/registry';
import { registerWebRoutes } from './routes/web';
import { registerSecurityHeaders } from './security';

export interface HttpServerOptions {
  engine: Engine;
  auth: ServerAuth;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  bodyLimit?: number;
  rateLimit?: RateLimitOptions;
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

  // An empty body with a JSON content type (common on DELETE) means "no input", not a parse error.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') done(null, undefined);
    else parseJson(request, text, done);
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

  const guard: Guard = { auth, engine, limiter: new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT) };
  let ready = false;
  app.addHook('onReady', async () => {
    ready = true;
  });
  registerRequestMetrics(app, engine);
  registerMetaRoutes(app, guard, () => ready);
  registerContractRoutes(app, guard);
  registerFileRoutes(app, guard);
  registerEventRoutes(app, guard);
  registerBuildLogRoutes(app, guard);
  await registerRegistryRoutes(app, guard);
  registerWebRoutes(app, auth, options.rendererDir);
  return app;
}

function registerRequestMetrics(app: FastifyInstance, engine: Engine): void {
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: label values must stay few.
    const route = request.routeOptions.url ?? 'unmatched';
    engine.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    engine.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
