/**
 * Routes about the server itself: health and readiness, version, Prometheus metrics, the OpenAPI document
 * and a readable API page rendered from it (plain HTML, no scripts, so the strict CSP holds).
 */
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../../src-shared/client';
import { openApiDocument } from '../openapi';
import { requirePermission, type Guard } from './guard';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderApiPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<
    string,
    Record<
      string,
      {
        summary?: string;
        'x-permission'?: string;
        operationId?: string;
        parameters?: unknown[];
        requestBody?: unknown;
        responses?: unknown;
      }
    >
  >;
  const rows: string[] = [];
  for (const [path, methods] of Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [method, op] of Object.entries(methods)) {
      const detail = JSON.stringify(
        { parameters: op.parameters, requestBody: op.requestBody, responses: op.responses },
        null,
        2,
      );
      rows.push(`<section id="${escapeHtml(op.operationId ?? `${method}-${path}`)}">
<h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>
<p>${escapeHtml(op.summary ?? '')}</p>
<p>Permission: <code>${escapeHtml(op['x-permission'] ?? 'authenticated')}</code>${op.operationId ? ` · contract request <code>${escapeHtml(op.operationId)}</code>` : ''}</p>
<details><summary>Schemas</summary><pre>${escapeHtml(detail)}</pre></details>
</section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color-scheme:light dark}
section{border-top:1px solid #8884;padding:.5em 0}pre{overflow:auto;font-size:12px}h2{font-size:1.05em}</style></head>
<body><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p><p>Machine-readable: <a href="${API_PREFIX}/openapi.json">openapi.json</a></p>
${rows.join('\n')}</body></html>`;
}

export function registerMetaRoutes(app: FastifyInstance, guard: Guard, isReady: () => boolean): void {
  const { engine } = guard;
  let doc: Record<string, unknown> | undefined;
  const document = (): Record<string, unknown> => (doc ??= openApiDocument(engine.version));

  app.get('/health', async () => ({ status: 'ok', version: engine.version }));
  app.get('/health/ready', async (_request, reply) =>
    isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }),
  );
  app.get('/version', async () => ({ version: engine.version, node: process.versions.node }));
  app.get('/metrics', async (request, reply) => {
    requirePermission(guard, request, 'system:admin');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await engine.metrics.text());
  });
  // The API's description is public, like the routes' names in any client: it holds no data.
  app.get(`${API_PREFIX}/openapi.json`, async () => document());
  app.get(`${API_PREFIX}/docs`, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderApiPage(document())),
  );
}
