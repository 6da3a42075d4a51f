import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server';
import { ENGINE_SETTINGS_FILE } from './settings';

describe('system.settings over REST (govc serve)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'govc-engine-settings-'));
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports that govc serve is the API server, and refuses to change it', async () => {
    const got = await server.call('GET', '/system/settings');
    expect(got.status).toBe(200);
    expect(got.json).toEqual({
      persist_default: false,
      api_server: { changeable: false, enabled: true, port: null, url: null, token_file: null, problem: null },
    });
    const off = await server.call('PUT', '/system/settings', { api_server: { enabled: false } });
    expect(off.status).toBe(503);
    expect(off.json).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringContaining('govc serve') } });
  });

  it('makes new repositories persisted by default once asked, and keeps the choice across a restart', async () => {
    const before = await server.call('POST', '/repos', { id: 'memory-only' });
    expect(before.json).toMatchObject({ id: 'memory-only', persist: false });

    const set = await server.call('PUT', '/system/settings', { persist_default: true });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ persist_default: true });
    expect(existsSync(join(dataDir, ENGINE_SETTINGS_FILE))).toBe(true);

    const after = await server.call('POST', '/repos', { id: 'kept' });
    expect(after.json).toMatchObject({ id: 'kept', persist: true });
    // A request that says so still wins over the default.
    const explicit = await server.call('POST', '/repos', { id: 'said-no', persist: false });
    expect(explicit.json).toMatchObject({ persist: false });

    await server.stop();
    server = await startTestServer({ dataDir });
    expect((await server.call('GET', '/system/settings')).json).toMatchObject({ persist_default: true });
  });

  it('lets only an administrator change the settings, and rejects unknown fields', async () => {
    const reader = (await server.call('POST', '/tokens', { name: 'reader', role: 'reader' })).json.token as string;
    expect((await server.call('GET', '/system/settings', undefined, reader)).status).toBe(200);
    const refused = await server.call('PUT', '/system/settings', { persist_default: false }, reader);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const unknown = await server.call('PUT', '/system/settings', { persist: true });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
