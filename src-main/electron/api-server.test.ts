import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../core/engine';
import { createLogger } from '../core/logging';
import { API_TOKEN_FILE, startApiServer, writeSecretFile, type ApiServer } from './api-server';

const posix = process.platform !== 'win32';

describe('writeSecretFile', () => {
  it.runIf(posix)('replaces a looser existing file with an owner-only one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govc-secret-'));
    const file = join(dir, 'api-token');
    writeFileSync(file, 'old', { mode: 0o644 });
    writeSecretFile(file, 'govc_new');
    expect(readFileSync(file, 'utf8')).toBe('govc_new\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['api-token']);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('startApiServer', () => {
  let dataDir: string;
  let engine: Engine;
  let server: ApiServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'govc-desktop-api-'));
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logLines.push(chunk.toString('utf8')));
    const logger = createLogger({ destination: { stream }, level: 'info' });
    engine = createEngine({ dataDir, mode: 'desktop', logger });
    server = await startApiServer({ engine, port: 0, rendererDir: join(dataDir, 'no-renderer'), logger });
  });

  afterAll(async () => {
    await server.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback and answers with the desktop engine, given the token from the file', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.tokenFile).toBe(join(dataDir, API_TOKEN_FILE));
    const token = readFileSync(server.tokenFile, 'utf8').trim();
    const res = await fetch(`${server.url}/api/v1/system/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ mode: 'desktop', dataDir });
    const refused = await fetch(`${server.url}/api/v1/system/info`);
    expect(refused.status).toBe(401);
  });

  it('accepts API tokens made through the engine, as govc serve does', async () => {
    const admin = readFileSync(server.tokenFile, 'utf8').trim();
    const made = await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'script', role: 'reader' }),
    });
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    const res = await fetch(`${server.url}/api/v1/system/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it.runIf(posix)('keeps the token file owner-only', () => {
    expect(statSync(server.tokenFile).mode & 0o777).toBe(0o600);
  });

  it('logs where the token is, never the token', () => {
    const token = readFileSync(server.tokenFile, 'utf8').trim();
    const log = logLines.join('');
    expect(log).toContain(server.tokenFile);
    expect(log).not.toContain(token);
  });

  it('removes the token file when it closes, and closes once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govc-desktop-api2-'));
    const other = createEngine({
      dataDir: dir,
      mode: 'desktop',
      logger: createLogger({ destination: { stream: new PassThrough() } }),
    });
    const api = await startApiServer({ engine: other, port: 0, rendererDir: dir, logger: other.logger });
    expect(existsSync(api.tokenFile)).toBe(true);
    await Promise.all([api.close(), api.close()]);
    expect(existsSync(api.tokenFile)).toBe(false);
    await expect(fetch(`${api.url}/health`)).rejects.toThrow();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails cleanly when the port is taken', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startApiServer({ engine, port, rendererDir: dataDir, logger: engine.logger })).rejects.toThrow(
      /EADDRINUSE|address already in use/i,
    );
  });
});
