/**
 * The renderer as a web app. `/?token=…` trades the token for a session cookie and redirects to a clean
 * URL (so the token leaves the address bar and history); `/` then serves the app. Built assets are public:
 * they hold no data, every API call needs the session.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE, type ServerAuth } from '../auth';

const NEEDS_TOKEN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>govc Studio: sign in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>govc Studio needs its token</h1>
<p>Open the URL that <code>govc serve</code> printed when it started (it ends in <code>?token=…</code>),
or start the server with <code>GOVC_TOKEN</code> set and open <code>/?token=&lt;that token&gt;</code>.</p>
</body></html>`;

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>govc Studio</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>The web app is not built</h1><p>Run <code>npm run build</code>, then start <code>govc serve</code> again.
The REST API under <code>/api/v1</code> works without it.</p></body></html>`;

export function registerWebRoutes(app: FastifyInstance, auth: ServerAuth, rendererDir: string): void {
  const indexPath = join(rendererDir, 'index.html');
  const built = existsSync(indexPath);
  // Read once: the built app does not change while the server runs.
  const indexHtml = built ? readFileSync(indexPath, 'utf8') : NOT_BUILT_PAGE;

  if (built) {
    void app.register(fastifyStatic, {
      root: rendererDir,
      prefix: '/',
      index: false,
      wildcard: true,
      cacheControl: false,
    });
  }

  app.get('/', async (request, reply) => {
    const { token } = request.query as { token?: string };
    reply.header('cache-control', 'no-store');
    if (token !== undefined) {
      const session = auth.openSession(token);
      if (!session) return reply.code(401).type('text/html; charset=utf-8').send(NEEDS_TOKEN_PAGE);
      reply.setCookie(SESSION_COOKIE, session, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: request.protocol === 'https',
      });
      return reply.redirect('/', 303);
    }
    if (!auth.authenticate(request)) return reply.code(401).type('text/html; charset=utf-8').send(NEEDS_TOKEN_PAGE);
    return reply.type('text/html; charset=utf-8').send(indexHtml);
  });
}
