import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../core/webhooks/sign';
import { startTestServer, type TestServer } from '../testing/server';

describe('webhook routes', () => {
  let server: TestServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ body: string; signature: string }> = [];

  beforeAll(async () => {
    server = await startTestServer();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-govc-signature-256']) });
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    receiver.close();
    await server.stop();
  });

  const post = (path: string, body: unknown) =>
    server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('creates a webhook, shows its secret once, pings it, and logs the delivery', async () => {
    const created = await post('/api/v1/repos/app/webhooks', { url: receiverUrl, events: ['repo.*'] });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; secret: string };
    expect(hook.secret.length).toBeGreaterThanOrEqual(16);

    const list = await (await server.api('/api/v1/repos/app/webhooks')).text();
    expect(list).toContain(hook.id);
    expect(list).not.toContain(hook.secret);

    expect((await post(`/api/v1/repos/app/webhooks/${hook.id}/ping`, {})).status).toBe(202);
    const deadline = Date.now() + 5000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'webhook.ping', repo: 'app' });
    expect(verifySignature(hook.secret, received[0]!.body, received[0]!.signature)).toBe(true);

    const deliveries = (await (await server.api(`/api/v1/repos/app/webhooks/${hook.id}/deliveries`)).json()) as {
      deliveries: Array<{ state: string; attempts: Array<{ status: number }> }>;
    };
    expect(deliveries.deliveries[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 200 }] });

    expect((await server.api(`/api/v1/repos/app/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await server.api(`/api/v1/repos/app/webhooks/${hook.id}/deliveries`)).status).toBe(404);
  });

  it('names the bad field: a URL that is not http(s), an empty event list', async () => {
    const badUrl = await post('/api/v1/repos/app/webhooks', { url: 'file:///etc/passwd', events: ['*'] });
    expect(badUrl.status).toBe(400);
    expect(((await badUrl.json()) as { error: { message: string } }).error.message).toMatch(/^Invalid url/);
    const noEvents = await post('/api/v1/repos/app/webhooks', { url: receiverUrl, events: [] });
    expect(noEvents.status).toBe(400);
    expect(((await noEvents.json()) as { error: { message: string } }).error.message).toMatch(/^Invalid events/);
  });
});
