/**
 * Webhooks against a real receiver on a loopback port: signed bodies, a retry after a 500, ordering, the
 * delivery log, and persistence of the hooks (with their secrets) across a restart.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../events/bus';
import { WebhookService, eventMatches } from './service';
import { SIGNATURE_HEADER, verifySignature } from './sign';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A receiver that answers each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function service(bus: EventBus, dataDir?: string) {
  return new WebhookService({
    bus,
    logger: pino({ level: 'silent' }),
    version: 'test',
    retryDelaysMs: [20, 40],
    ...(dataDir ? { dataDir } : {}),
  });
}

describe('webhooks', () => {
  it('matches event types exactly, by family, or all', () => {
    expect(eventMatches(['repo.commit'], 'repo.commit')).toBe(true);
    expect(eventMatches(['repo.commit'], 'repo.created')).toBe(false);
    expect(eventMatches(['build.*'], 'build.step.completed')).toBe(true);
    expect(eventMatches(['*'], 'anything')).toBe(true);
  });

  it('delivers signed events of its repository and types, in order', async () => {
    const bus = new EventBus();
    const hooks = service(bus);
    const { url, received } = await receiver();
    const hook = hooks.create({ repo: 'app', url, events: ['system.*'], active: true });
    bus.emit('system.echo', { message: 'one' }, { repo: 'app' });
    bus.emit('system.echo', { message: 'other repo' }, { repo: 'other' });
    bus.emit('auth.token.revoked', { id: 'x' }, { repo: 'app' });
    bus.emit('system.echo', { message: 'two' }, { repo: 'app' });
    await until(() => received.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(received.map((r) => (JSON.parse(r.body) as { data: { message: string } }).data.message)).toEqual([
      'one',
      'two',
    ]);
    for (const r of received) {
      expect(r.headers['x-govc-event']).toBe('system.echo');
      expect(verifySignature(hook.secret, r.body, r.headers[SIGNATURE_HEADER] as string)).toBe(true);
      expect(verifySignature('wrong-secret-0123456789', r.body, r.headers[SIGNATURE_HEADER] as string)).toBe(false);
    }
    hooks.close();
  });

  it('retries after a 500 with backoff and records every attempt', async () => {
    const bus = new EventBus();
    const hooks = service(bus);
    const { url, received } = await receiver([500]);
    const hook = hooks.create({ repo: 'app', url, events: ['*'], active: true });
    bus.emit('system.echo', { message: 'retry me' }, { repo: 'app' });
    await until(() => hooks.deliveries('app', hook.id)[0]?.state === 'delivered');
    const [delivery] = hooks.deliveries('app', hook.id);
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(received).toHaveLength(2);
    expect(received[0]!.headers['x-govc-delivery']).toBe(received[1]!.headers['x-govc-delivery']);
    hooks.close();
  });

  it('gives up after the last retry, and says so with an event', async () => {
    const bus = new EventBus();
    const hooks = service(bus);
    const { url } = await receiver([500, 502, 503]);
    const hook = hooks.create({ repo: 'app', url, events: ['system.echo'], active: true });
    const failures: unknown[] = [];
    bus.subscribe((e) => void failures.push(e.data), { types: ['webhook.delivery.failed'] });
    bus.emit('system.echo', { message: 'doomed' }, { repo: 'app' });
    await until(() => failures.length === 1);
    expect(failures[0]).toMatchObject({ webhook: hook.id, attempts: 3, error: 'HTTP 503' });
    expect(hooks.deliveries('app', hook.id)[0]!.state).toBe('failed');
    hooks.close();
  });

  it('records a network error as an attempt', async () => {
    const bus = new EventBus();
    const hooks = service(bus);
    const hook = hooks.create({ repo: 'app', url: 'http://127.0.0.1:9/unreachable', events: ['*'], active: true });
    bus.emit('system.echo', { message: 'x' }, { repo: 'app' });
    await until(() => hooks.deliveries('app', hook.id)[0]?.state === 'failed');
    expect(hooks.deliveries('app', hook.id)[0]!.attempts[0]!.error).toBeTruthy();
    hooks.close();
  });

  it('keeps webhooks across a restart, with the secret file readable by its owner only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'govc-hooks-'));
    const { url, received } = await receiver();
    const first = service(new EventBus(), dataDir);
    const hook = first.create({ repo: 'app', url, events: ['*'], active: true });
    first.close();
    expect(statSync(join(dataDir, 'webhooks.json')).mode & 0o777).toBe(0o600);
    const bus = new EventBus();
    const second = service(bus, dataDir);
    expect(second.list('app').map((h) => h.id)).toEqual([hook.id]);
    expect(JSON.stringify(second.list('app'))).not.toContain(hook.secret);
    bus.emit('system.echo', { message: 'after restart' }, { repo: 'app' });
    await until(() => received.length === 1);
    expect(verifySignature(hook.secret, received[0]!.body, received[0]!.headers[SIGNATURE_HEADER] as string)).toBe(
      true,
    );
    second.close();
  });

  it('refuses unknown webhooks with NOT_FOUND', () => {
    const hooks = service(new EventBus());
    expect(() => hooks.deliveries('app', 'wh_nope')).toThrow(/No webhook/);
  });
});
