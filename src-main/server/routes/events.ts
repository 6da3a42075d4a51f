/**
 * Server-Sent Events: `GET /api/v1/events[?types=a,b]`. Resumes after `Last-Event-ID` (or `?since=`) from
 * the bus's bounded history, sends keep-alives, and respects socket back-pressure: a client too slow to
 * read is dropped by the bus with a final `dropped` event rather than growing memory.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../../../src-shared/client';
import { can } from '../../core/auth/roles';
import { requirePermission, type Guard } from './guard';

const KEEP_ALIVE_MS = 15_000;

export function registerEventRoutes(app: FastifyInstance, guard: Guard): void {
  // Streams never end by themselves: the server ends them when it closes, or shutdown would wait on them.
  const open = new Set<FastifyReply['raw']>();
  app.addHook('preClose', async () => {
    for (const out of open) out.end();
  });
  app.get(`${API_PREFIX}/events`, (request, reply) => stream(guard, request, reply, undefined, open));
  app.get(`${API_PREFIX}/repos/:repo/events`, (request, reply) =>
    stream(guard, request, reply, (request.params as { repo: string }).repo, open),
  );
}

async function stream(
  guard: Guard,
  request: FastifyRequest,
  reply: FastifyReply,
  repo: string | undefined,
  open: Set<FastifyReply['raw']>,
): Promise<void> {
  const { engine } = guard;
  // The whole stream carries repository data: reading it needs repo:read (for that repository, if one).
  const { principal } = requirePermission(guard, request, 'repo:read', repo);
  const query = request.query as { types?: string; since?: string };
  const types = query.types ? query.types.split(',').filter(Boolean) : undefined;
  const resumeFrom = request.headers['last-event-id'] ?? query.since;
  const afterSeq = resumeFrom !== undefined && /^\d+$/.test(String(resumeFrom)) ? Number(resumeFrom) : undefined;

  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  out.write(`retry: 2000\n: connected to govc ${engine.version}\n\n`);

  const write = (chunk: string): void | Promise<void> => {
    if (out.destroyed) return;
    if (!out.write(chunk)) return new Promise((resolve) => out.once('drain', resolve));
  };
  const subscription = engine.bus.subscribe((event) => write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`), {
    ...(types ? { types } : {}),
    ...(repo === undefined ? {} : { repo }),
    // A caller limited to some repositories sees only their events (and engine-wide ones).
    filter: (event) => event.repo === undefined || can(principal, 'repo:read', event.repo),
    ...(afterSeq === undefined ? {} : { afterSeq }),
    maxQueue: 5_000,
    onDropped: (reason) => {
      out.end(`event: dropped\ndata: ${JSON.stringify({ reason })}\n\n`);
    },
  });
  const keepAlive = setInterval(() => void write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  open.add(out);
  const stop = (): void => {
    open.delete(out);
    clearInterval(keepAlive);
    subscription.dispose();
  };
  request.raw.on('close', stop);
  out.on('close', stop);
}
