/**
 * A build's log as text: `GET /api/v1/repos/{repo}/containers/builds/{id}/logs` answers with the whole
 * (bounded) log; with `?follow=true` on a running build it answers with the log so far, then streams each
 * line as the build prints it and ends when the build does. Text, not JSON, so `curl -N` can follow a build;
 * the contract's `builds.logs` is the JSON equivalent.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { API_PREFIX } from '../../../src-shared/client';
import { requirePermission, type Guard } from './guard';

/** A follower that reads slower than this much buffered output loses lines (counted) rather than memory. */
const MAX_BUFFERED = 4 * 1024 * 1024;

export function registerBuildLogRoutes(app: FastifyInstance, guard: Guard): void {
  const open = new Set<FastifyReply['raw']>();
  app.addHook('preClose', async () => {
    for (const out of open) out.end();
  });
  app.get(`${API_PREFIX}/repos/:repo/containers/builds/:id/logs`, async (request, reply) => {
    const { repo, id } = request.params as { repo: string; id: string };
    requirePermission(guard, request, 'repo:read', repo);
    const { follow } = request.query as { follow?: string };
    const builds = guard.engine.builds;
    if (follow !== 'true' && follow !== '1') {
      const { log } = await builds.logs(repo, id);
      return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send(log.text());
    }
    await builds.get(repo, id); // an unknown build is a 404 before the stream starts
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    let dropped = 0;
    const following = await builds.follow(repo, id, (step, line) => {
      if (out.destroyed) return;
      if (out.writableLength > MAX_BUFFERED) {
        dropped++;
        return;
      }
      if (dropped > 0) {
        out.write(`${step} … ${dropped} lines omitted (the reader fell behind)\n`);
        dropped = 0;
      }
      out.write(`${step} ${line}\n`);
    });
    out.write(following.text);
    open.add(out);
    const stop = (): void => {
      open.delete(out);
      following.stop();
    };
    out.on('close', stop);
    await following.ended;
    stop();
    out.end();
  });
}
