/**
 * The desktop lifecycle wired end to end against a stand-in for the electron module (the real binary
 * cannot run here): real engine, real file logger, real settings file and API server, real protocol and
 * IPC handlers, driven the way Electron would drive them.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

interface FakeEvent {
  preventDefault: () => void;
  url?: string;
}

class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: Array<[string, unknown]> = [];
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  isDestroyed = () => false;
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const paths: Record<string, string> = {};
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    switches: {} as Record<string, string>,
    commandLine: { getSwitchValue: (name: string) => app.switches[name] ?? '' },
    setPath: (name: string, value: string) => void (paths[name] = value),
    getPath: (name: string) => paths[name] ?? '/nonexistent',
    requestSingleInstanceLock: () => true,
    getVersion: () => '0.0.0-test',
    whenReady: () => ready,
    quit: vi.fn(),
    exit: vi.fn(),
  });
  const protocolHandlers = new Map<string, (request: { method: string; url: string }) => Promise<Response>>();
  const ipcHandlers = new Map<string, (event: unknown, message: unknown) => Promise<unknown>>();
  const permissionHandlers: Record<string, unknown> = {};
  const windows: unknown[] = [];
  class BrowserWindow extends Emitter {
    static getAllWindows = () => windows;
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    title = '';
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return Promise.resolve();
    }
    setTitle(title: string): void {
      this.title = title;
    }
    show = vi.fn();
    isDestroyed = () => false;
  }
  const record =
    (name: string) =>
    (handler: unknown): void =>
      void (permissionHandlers[name] = handler);
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: (scheme: string, handler: (request: { method: string; url: string }) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, message: unknown) => Promise<unknown>) =>
        ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: record('request'),
        setPermissionCheckHandler: record('check'),
        setDevicePermissionHandler: record('device'),
        setDisplayMediaRequestHandler: record('displayMedia'),
      },
    },
    fake: { markReady, protocolHandlers, ipcHandlers, permissionHandlers, windows },
  };
});

const electron = (await import('electron')) as unknown as {
  app: EventEmitter & { switches: Record<string, string>; exit: ReturnType<typeof vi.fn> };
  shell: { openExternal: ReturnType<typeof vi.fn> };
  protocol: { registerSchemesAsPrivileged: ReturnType<typeof vi.fn> };
  fake: {
    markReady: () => void;
    protocolHandlers: Map<string, (request: { method: string; url: string }) => Promise<Response>>;
    ipcHandlers: Map<string, (event: unknown, message: unknown) => Promise<unknown>>;
    permissionHandlers: Record<string, (...args: unknown[]) => unknown>;
    windows: Array<{
      options: { webPreferences: Record<string, unknown> };
      webContents: FakeWebContents;
      loaded: string[];
    }>;
  };
};
const { startDesktopApp } = await import('./app');

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function readLogs(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

describe('the desktop app, against a stand-in electron', () => {
  const root = mkdtempSync(join(tmpdir(), 'govc-desktop-'));
  const dataDir = join(root, 'user-data');
  const out = join(root, 'out');
  const signalsBefore = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
  let window: (typeof electron.fake.windows)[number];
  let token: string;

  beforeAll(async () => {
    mkdirSync(join(out, 'main'), { recursive: true });
    mkdirSync(join(out, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(out, 'renderer', 'index.html'), '<!doctype html><title>govc Studio</title>');
    writeFileSync(join(out, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ apiServer: { enabled: true, port: 0 } }));
    electron.app.switches['user-data-dir'] = dataDir;

    startDesktopApp({ mainBundleDir: join(out, 'main') });
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    electron.fake.markReady();
    window = await until(() => electron.fake.windows[0], 'the main window');
    token = await until(() => {
      const file = join(dataDir, 'api-token');
      return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
    }, 'the API token file');
  });

  afterAll(() => {
    // Leave the test process's signal handlers as they were.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      for (const listener of process.listeners(signal)) {
        if (!signalsBefore[signal].includes(listener)) process.removeListener(signal, listener);
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('opens one hardened window on app://govc/ with the CommonJS preload', () => {
    expect(electron.fake.windows).toHaveLength(1);
    expect(window.loaded).toEqual(['app://govc/']);
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(out, 'preload', 'index.cjs'),
    });
  });

  it('serves the renderer with the CSP and refuses traversal', async () => {
    const handler = electron.fake.protocolHandlers.get('app')!;
    const index = await handler({ method: 'GET', url: 'app://govc/' });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>govc Studio</title>');
    const script = await handler({ method: 'GET', url: 'app://govc/assets/app.js' });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handler({ method: 'GET', url: 'app://govc/assets/missing.js' })).status).toBe(404);
    expect((await handler({ method: 'GET', url: 'app://govc/..%2f..%2fuser-data%2fapi-token.txt' })).status).toBe(403);
  });

  it('answers IPC from its window with envelopes and forwards engine events to it', async () => {
    const invoke = electron.fake.ipcHandlers.get('govc:invoke')!;
    const fromWindow = { sender: window.webContents, senderFrame: { url: 'app://govc/', parent: null } };
    expect(await invoke(fromWindow, { name: 'system.echo', input: { message: 'hi' } })).toMatchObject({
      ok: true,
      value: { message: 'hi' },
    });
    expect(await invoke(fromWindow, { name: 'nope', input: {} })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_REQUEST' },
    });
    const info = (await invoke(fromWindow, { name: 'system.info', input: {} })) as { value: { mode: string } };
    expect(info.value.mode).toBe('desktop');
    await until(
      () => window.webContents.sent.find(([, e]) => (e as { type: string }).type === 'system.echo'),
      'the echo event on govc:event',
    );
  });

  it('refuses IPC from sub-frames, foreign pages and unknown webContents', async () => {
    const invoke = electron.fake.ipcHandlers.get('govc:invoke')!;
    const call = { name: 'system.info', input: {} };
    const cases = [
      { sender: window.webContents, senderFrame: { url: 'app://govc/', parent: {} } },
      { sender: window.webContents, senderFrame: { url: 'https://attacker.example/', parent: null } },
      { sender: window.webContents, senderFrame: null },
      { sender: new FakeWebContents(), senderFrame: { url: 'app://govc/', parent: null } },
    ];
    for (const event of cases) {
      expect(await invoke(event, call)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('denies permissions, navigation and new windows', () => {
    const { permissionHandlers } = electron.fake;
    const granted = vi.fn();
    permissionHandlers.request!(window.webContents, 'media', granted, {});
    expect(granted).toHaveBeenCalledWith(false);
    expect(permissionHandlers.check!(window.webContents, 'clipboard-read', 'app://govc', {})).toBe(false);

    const away: FakeEvent = { url: 'https://attacker.example/', preventDefault: vi.fn() };
    window.webContents.emit('will-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();
    expect(electron.shell.openExternal).not.toHaveBeenCalled();

    const docs: FakeEvent = { url: 'https://docs.docker.com/reference/dockerfile/', preventDefault: vi.fn() };
    window.webContents.emit('will-navigate', docs);
    expect(docs.preventDefault).toHaveBeenCalled();
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://docs.docker.com/reference/dockerfile/');

    expect(window.webContents.openHandler!({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(window.webContents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(2);
  });

  it('exposes the REST API on loopback with the token from <data>/api-token', async () => {
    const logs = await until(
      () => (readLogs(dataDir).includes('API server listening') ? readLogs(dataDir) : undefined),
      'the API log line',
    );
    const line = logs.split('\n').find((l) => l.includes('API server listening'))!;
    const { url } = JSON.parse(line) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const res = await fetch(`${url}/system/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ mode: 'desktop', dataDir });
  });

  it('quits gracefully: holds the quit once, closes API and engine, flushes logs, then exits', async () => {
    const quitEvent = { preventDefault: vi.fn() };
    electron.app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalledTimes(1);
    await until(() => (electron.app.exit.mock.calls.length > 0 ? true : undefined), 'app.exit');
    expect(electron.app.exit).toHaveBeenCalledWith(0);
    expect(existsSync(join(dataDir, 'api-token'))).toBe(false);
    const logs = readLogs(dataDir);
    expect(logs).toContain('engine stopped');
    expect(logs).toContain(join(dataDir, 'api-token'));
    expect(logs).not.toContain(token);

    // A second quit request (SIGTERM during shutdown) changes nothing.
    electron.app.emit('before-quit', { preventDefault: vi.fn() });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(electron.app.exit).toHaveBeenCalledTimes(1);
  });
});
