import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSettings } from '../../src-shared/contract';
import { LOCAL_OWNER } from '../core/auth/roles';
import { createEngine, type Engine } from '../core/engine';
import { DesktopApiServer } from './api-server-control';
import { readSettings, SETTINGS_FILE } from './settings';

/** The desktop's API server switched through the contract, as the Settings view does over IPC. */
describe('DesktopApiServer through system.settings', () => {
  let dataDir: string;
  let engine: Engine;
  let api: DesktopApiServer;
  const owner = { principal: LOCAL_OWNER, via: 'ipc' as const };
  const settings = async (input: unknown) => (await engine.call('system.settings.set', input, owner)) as EngineSettings;
  const info = (status: EngineSettings['api_server']) => {
    const token = readFileSync(status.token_file!, 'utf8').trim();
    return fetch(`${status.url}/system/info`, { headers: { authorization: `Bearer ${token}` } });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'govc-desktop-api-control-'));
    const logger = pino({ level: 'silent' });
    engine = createEngine({ dataDir, mode: 'desktop', logger });
    const { settings: desktop } = readSettings(dataDir);
    api = new DesktopApiServer({ engine, rendererDir: join(dataDir, 'no-renderer'), logger, settings: desktop });
    engine.settings.useApiServer(api);
    await api.start();
  });
  afterAll(async () => {
    await api.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is off by default, changeable, and not listening; new repositories are kept on disk by default', async () => {
    const got = (await engine.call('system.settings.get', {}, owner)) as EngineSettings;
    expect(got.api_server).toMatchObject({ changeable: true, enabled: false, url: null, problem: null });
    expect(got.persist_default).toBe(true);
  });

  it('turns on, answers with the desktop engine, and writes the choice for the next start', async () => {
    const on = await settings({ api_server: { enabled: true, port: 0 } });
    expect(on.api_server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const res = await info(on.api_server);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ mode: 'desktop' });
    expect(readSettings(dataDir).settings.apiServer).toEqual({ enabled: true, port: 0 });
  });

  it('turns off: the port stops answering and the token file goes', async () => {
    const before = ((await engine.call('system.settings.get', {}, owner)) as EngineSettings).api_server;
    const off = await settings({ api_server: { enabled: false } });
    expect(off.api_server).toMatchObject({ enabled: false, url: null, token_file: null });
    await expect(fetch(`${before.url}/system/info`)).rejects.toThrow();
    expect(() => readFileSync(before.token_file!, 'utf8')).toThrow();
    expect(JSON.parse(readFileSync(join(dataDir, SETTINGS_FILE), 'utf8'))).toEqual({
      apiServer: { enabled: false, port: 0 },
    });
  });

  it('reports a port it could not take instead of failing the request', async () => {
    const first = await settings({ api_server: { enabled: true, port: 0 } });
    const taken = Number(new URL(first.api_server.url!).port);
    const blocker = createEngine({
      dataDir: join(dataDir, 'other'),
      mode: 'desktop',
      logger: pino({ level: 'silent' }),
    });
    const other = new DesktopApiServer({
      engine: blocker,
      rendererDir: join(dataDir, 'no-renderer'),
      logger: pino({ level: 'silent' }),
      settings: { apiServer: { enabled: true, port: taken } },
    });
    const status = await other.start();
    expect(status).toMatchObject({ enabled: true, url: null, problem: expect.stringContaining(`port ${taken}`) });
    await other.close();
    await blocker.close();
    await settings({ api_server: { enabled: false } });
  });

  it('changes nothing when the settings file cannot be written, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govc-desktop-api-readonly-'));
    mkdirSync(join(dir, SETTINGS_FILE)); // a folder where the file should go: the rename fails
    const other = createEngine({ dataDir: dir, mode: 'desktop', logger: pino({ level: 'silent' }) });
    const control = new DesktopApiServer({
      engine: other,
      rendererDir: join(dir, 'no-renderer'),
      logger: pino({ level: 'silent' }),
      settings: { apiServer: { enabled: false, port: 0 } },
    });
    other.settings.useApiServer(control);
    await expect(other.call('system.settings.set', { api_server: { enabled: true } }, owner)).rejects.toThrow();
    expect(control.status()).toMatchObject({ enabled: false, url: null });
    await control.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
