/**
 * The desktop shell as users get it: the built app launched by the Electron binary with a fresh data
 * folder. Where no binary or display exists (these development machines cannot download Electron), the
 * test is skipped with a reason starting "ELECTRON SKIPPED", the one skip this suite allows.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { AnyEngineEvent, GovcBridge, InvokeResult } from '../../../src-shared/contract';
import { ShellPage } from '../../pages/ShellPage';
import { electronAvailability, MAIN_BUNDLE, REPO_ROOT } from '../../support/electron';

const availability = electronAvailability();
const SCREENSHOT = join(REPO_ROOT, 'test-results', 'e2e', 'electron-shell.png');

function electronExecutable(): string {
  if (availability.available) return availability.executablePath;
  test.skip(true, `ELECTRON SKIPPED: ${availability.reason}`);
  // test.skip ends the test by throwing; this line only tells the type checker so.
  throw new Error(availability.reason);
}

/** The environment for the app, minus what would make it load a dev server, run as Node, or share data. */
function appEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !['ELECTRON_RENDERER_URL', 'ELECTRON_RUN_AS_NODE', 'GOVC_DATA_DIR'].includes(name)) {
      env[name] = value;
    }
  }
  return env;
}

async function readLogs(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'logs');
  if (!existsSync(dir)) return '';
  const files = (await readdir(dir)).filter((name) => name.endsWith('.log'));
  return (await Promise.all(files.map((name) => readFile(join(dir, name), 'utf8')))).join('');
}

test.describe('desktop shell (Electron)', () => {
  test('opens the hardened shell and reaches the engine over IPC', async () => {
    const executablePath = electronExecutable();
    expect(existsSync(MAIN_BUNDLE), `${MAIN_BUNDLE} is missing: run npm run build first`).toBe(true);
    const userDataDir = await mkdtemp(join(tmpdir(), 'govc-electron-e2e-'));
    const app = await electron.launch({
      executablePath,
      // The project folder, so package.json's main (out/main/index.js) and name apply as in `electron .`.
      args: [REPO_ROOT, `--user-data-dir=${userDataDir}`],
      cwd: REPO_ROOT,
      env: appEnvironment(),
    });
    try {
      const page = await app.firstWindow();
      // Errors the page reports (a CSP violation under app://, a failed chunk, an exception) fail the test.
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      await page.waitForURL(/^app:\/\/govc\//);

      await test.step('loads the bundled renderer from app://govc, titled govc Studio', async () => {
        expect(page.url()).toMatch(/^app:\/\/govc\//);
        await expect(page).toHaveTitle('govc Studio');
        const nativeTitle = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
        expect(nativeTitle).toBe('govc Studio');
      });

      await test.step('shows the shell connected to the desktop engine over IPC', async () => {
        const shell = new ShellPage(page);
        await shell.waitUntilConnected();
        await expect(shell.statusBar.getByLabel('Engine mode')).toHaveText('desktop');
        await expect(shell.statusBar.getByLabel('Transport')).toHaveText('IPC');
      });

      await test.step('gives the page window.govc and no Node', async () => {
        const globals = await page.evaluate(() => {
          const scope = globalThis as unknown as Record<string, unknown>;
          return {
            govc: typeof scope.govc,
            bridgeKeys: Object.keys((scope.govc ?? {}) as object).sort(),
            require: typeof scope.require,
            process: typeof scope.process,
            module: typeof scope.module,
            Buffer: typeof scope.Buffer,
          };
        });
        expect(globals).toEqual({
          govc: 'object',
          bridgeKeys: ['invoke', 'onEvent'],
          require: 'undefined',
          process: 'undefined',
          module: 'undefined',
          Buffer: 'undefined',
        });
      });

      await test.step('round-trips a request and returns errors as envelopes', async () => {
        const invoke = (name: string, input: unknown) =>
          page.evaluate(([n, i]) => (globalThis as unknown as { govc: GovcBridge }).govc.invoke(n as string, i), [
            name,
            input,
          ] as const);
        const echo: InvokeResult = await invoke('system.echo', { message: 'hi' });
        expect(echo).toMatchObject({ ok: true, value: { message: 'hi' } });
        expect(await invoke('nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
        expect(await invoke('system.echo', { message: '' })).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED' },
        });
      });

      await test.step('delivers engine events to onEvent', async () => {
        const event = await page.evaluate(
          () =>
            new Promise<AnyEngineEvent>((resolve) => {
              const { govc } = globalThis as unknown as { govc: GovcBridge };
              const off = govc.onEvent((e) => {
                if (e.type === 'system.echo' && e.data.message === 'evented') {
                  off();
                  resolve(e);
                }
              });
              void govc.invoke('system.echo', { message: 'evented' });
            }),
        );
        expect(event).toMatchObject({ type: 'system.echo', actor: 'local', data: { message: 'evented' } });
      });

      await test.step('refuses new windows and navigation away from the app', async () => {
        const opened = await page.evaluate(() => {
          const scope = globalThis as unknown as { open(url: string): unknown };
          return scope.open('https://example.com/') === null;
        });
        expect(opened).toBe(true);
        await page.evaluate(() => {
          (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
        });
        await page.waitForTimeout(300);
        expect(page.url()).toMatch(/^app:\/\/govc\//);
        expect(app.windows()).toHaveLength(1);
      });

      await page.screenshot({ path: SCREENSHOT });
      expect(problems).toEqual([]);
    } finally {
      await app.close();
    }

    await test.step('quit closed the engine and flushed its log into the data folder', async () => {
      const logs = await readLogs(userDataDir);
      expect(logs).toContain('govc Studio starting');
      expect(logs).toContain('engine stopped');
    });
    await rm(userDataDir, { recursive: true, force: true });
  });
});
