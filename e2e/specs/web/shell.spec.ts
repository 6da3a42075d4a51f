import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../../fixtures/page-guard';
import { startGovcServer } from '../../fixtures/server';
import { SettingsPane } from '../../pages/SettingsPane';
import { ShellPage } from '../../pages/ShellPage';

const DOCS_SCREENSHOT = fileURLToPath(new URL('../../../docs/images/shell.png', import.meta.url));

const DOCKERFILE = [
  'FROM node:20-alpine AS build',
  'WORKDIR /app',
  'COPY package*.json ./',
  'RUN npm ci',
  'COPY . .',
  'RUN npm run build',
  '',
  'FROM nginx:1.27-alpine',
  'COPY --from=build /app/dist /usr/share/nginx/html',
  'EXPOSE 8080',
].join('\n');

test.describe('web shell against govc serve', () => {
  test('signs in with the token and shows the shell, connected, with the engine facts', async ({
    page,
    govcServer,
    request,
  }) => {
    const response = await request.get(`${govcServer.origin}/api/v1/system/info`, {
      headers: { authorization: `Bearer ${govcServer.token}` },
    });
    const info = (await response.json()) as { version: string; platform: string };
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);

    await expect(page).toHaveTitle('govc Studio');
    for (const view of ['Editor', 'Activity', 'About'] as const) await expect(shell.railButton(view)).toBeVisible();
    await expect(shell.statusBar).toContainText(`v${info.version}`);
    await expect(shell.statusBar).toContainText('headless');

    await shell.gotoView('About');
    await expect(shell.about.fact('Version')).toHaveText(info.version);
    await expect(shell.about.fact('Mode')).toHaveText('headless');
    await expect(shell.about.fact('Platform')).toHaveText(info.platform);
    await expect(shell.about.fact('Data folder')).toHaveText(govcServer.dataDir);
  });

  test('pings the engine through the contract and sees the reply and its event', async ({ page, govcServer }) => {
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    const message = `ping ${Date.now()}`;

    const result = await shell.pingEngine(message);
    await expect(result).toHaveText(new RegExp(`Engine replied “${message}” in \\d+ ms`));

    await shell.gotoView('Activity');
    await expect(shell.activity.event('system.echo', message)).toHaveCount(1);
    await expect(shell.activity.event('system.echo', message)).toContainText('admin');
  });

  test('switches views from the keyboard', async ({ page, govcServer }) => {
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    await page.keyboard.press('Control+Shift+Digit2');
    await expect(page.getByRole('region', { name: 'Activity' })).toBeVisible();
    await page.keyboard.press('Control+Shift+Digit3');
    await expect(page.getByRole('region', { name: 'About' })).toBeVisible();
    await expect(shell.railButton('About')).toHaveAttribute('aria-current', 'page');
  });

  test('reaches the rail with Tab and shows where focus is', async ({ page, govcServer }) => {
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    await page.keyboard.press('Tab');
    await expect(shell.railButton('Editor')).toBeFocused();
    await expect(shell.railButton('Editor')).not.toHaveCSS('outline-style', 'none');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Activity' })).toBeVisible();
  });

  test('highlights what is typed and keeps it, with its language, across a reload', async ({ page, govcServer }) => {
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    const { editor } = shell;

    await expect(editor.input).toBeAttached();
    await editor.replaceText(DOCKERFILE);
    await expect.poll(() => editor.visibleText()).toContain('FROM nginx:1.27-alpine');
    expect((await editor.tokenClasses('WORKDIR')).length).toBeGreaterThan(1);

    await shell.gotoView('About');
    await shell.gotoView('Editor');
    await expect.poll(() => editor.visibleText()).toContain('EXPOSE 8080');

    await shell.reload();
    await expect.poll(() => editor.visibleText()).toContain('COPY --from=build /app/dist');
    await expect(editor.language).toHaveValue('dockerfile');

    // JSON is validated in its own worker, which the CSP must let start; the language choice persists too.
    await editor.language.selectOption({ label: 'JSON' });
    await editor.replaceText('{"image": "nginx", }');
    await expect(editor.errorSquiggles).not.toHaveCount(0);
    expect(workers.some((url) => /\/assets\/json\.worker-[\w-]+\.js$/.test(url))).toBe(true);
    await shell.reload();
    await expect(editor.language).toHaveValue('json');
    await expect.poll(() => editor.visibleText()).toContain('"image": "nginx"');
  });

  test('says so in the status bar when the engine goes away', async ({ page, pageProblems }) => {
    const server = await startGovcServer('stopping');
    const shell = new ShellPage(page);
    try {
      await shell.open(server.signInUrl);
      // Let the editor finish loading first: in web mode its lazy chunks come from the same server.
      await shell.editor.replaceText('FROM alpine');
      await expect.poll(() => shell.editor.tokenClasses('FROM')).toHaveLength(2);
    } finally {
      await server.stop();
    }
    // The cut event stream and the refused retries are logged by the browser: expected here.
    pageProblems.allow(/net::ERR_(CONNECTION_REFUSED|INCOMPLETE_CHUNKED_ENCODING)/);

    await expect(shell.connection).toHaveText('Disconnected from engine');
    await expect(shell.statusBar).toContainText('retrying');
    await shell.statusBar.getByRole('button', { name: 'Retry' }).click();
    await expect(shell.statusBar).toContainText('Cannot reach the engine');
  });

  test('answers 401 at / without a session', async ({ playwright, govcServer }) => {
    const anonymous = await playwright.request.newContext();
    try {
      const response = await anonymous.get(`${govcServer.origin}/`, { maxRedirects: 0 });
      expect(response.status()).toBe(401);
      const api = await anonymous.get(`${govcServer.origin}/api/v1/system/info`);
      expect(api.status()).toBe(401);
    } finally {
      await anonymous.dispose();
    }
  });

  test('looks right (screenshot for the README)', async ({ page, govcServer }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 760 });
    await page.emulateMedia({ colorScheme: 'dark' });
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    await shell.editor.language.selectOption({ label: 'Dockerfile' });
    await shell.editor.replaceText(DOCKERFILE);
    await expect.poll(() => shell.editor.visibleText()).toContain('EXPOSE 8080');
    await page.getByRole('heading', { name: 'Scratch editor' }).click();

    // A stable name beside the per-test folders (test-results/e2e/web-shell.png).
    const shot = join(testInfo.project.outputDir, 'web-shell.png');
    await page.screenshot({ path: shot });
    // The README's copy is tracked, and every run differs (the port): refresh it only when asked.
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' || !existsSync(DOCS_SCREENSHOT)) {
      await mkdir(dirname(DOCS_SCREENSHOT), { recursive: true });
      await copyFile(shot, DOCS_SCREENSHOT);
    }
  });

  test("Settings: this page's API server cannot be turned off here; the persistence default reaches the New repository dialog", async ({
    page,
    govcServer,
    request,
  }) => {
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    const settings = new SettingsPane(page);
    await settings.open();
    await expect(settings.apiServer).toBeChecked();
    await expect(settings.apiServer).toBeDisabled();
    await expect(settings.apiServerNote).toContainText('cannot be turned off from here');
    await expect(settings.apiServerNote).toContainText(`${govcServer.origin}/api/v1`);

    const headers = { authorization: `Bearer ${govcServer.token}` };
    const engineSettings = async () =>
      (await (await request.get(`${govcServer.origin}/api/v1/system/settings`, { headers })).json()) as {
        persist_default: boolean;
      };
    await expect(settings.persistDefault).not.toBeChecked();
    await settings.persistDefault.check();
    await expect.poll(async () => (await engineSettings()).persist_default).toBe(true);

    const keepOnDisk = page.getByRole('dialog').getByRole('checkbox', { name: /Keep on disk/ });
    try {
      await shell.gotoView('Files');
      await page.keyboard.press('Alt+Shift+KeyN');
      await expect(keepOnDisk).toBeChecked();
      await page.keyboard.press('Escape');

      await settings.open();
      await settings.persistDefault.uncheck();
      await expect.poll(async () => (await engineSettings()).persist_default).toBe(false);
      await shell.gotoView('Files');
      await page.keyboard.press('Alt+Shift+KeyN');
      await expect(keepOnDisk).not.toBeChecked();
      await page.keyboard.press('Escape');
    } finally {
      // The server is shared by this worker's tests: leave the engine's default as it was.
      await request.put(`${govcServer.origin}/api/v1/system/settings`, { headers, data: { persist_default: false } });
    }
  });

  test('the theme follows the OS until one is chosen; every main view in light and dark (screenshots)', async ({
    page,
    govcServer,
  }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 760 });
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    const settings = new SettingsPane(page);
    await settings.open();
    await expect(settings.theme('Follow the system')).toBeChecked();
    const body = page.locator('body');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(body).toHaveCSS('background-color', 'rgb(30, 30, 30)');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(body).toHaveCSS('background-color', 'rgb(255, 255, 255)');

    await page.emulateMedia({ colorScheme: 'dark' });
    await settings.theme('Light').check();
    await expect(body).toHaveCSS('background-color', 'rgb(255, 255, 255)');
    await settings.theme('Follow the system').check();
    await expect(body).toHaveCSS('background-color', 'rgb(30, 30, 30)');

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const view of ['Editor', 'Activity', 'Files', 'Builds', 'Images', 'Registry', 'Settings'] as const) {
        await shell.gotoView(view);
        await page.screenshot({ path: join(testInfo.project.outputDir, `view-${view.toLowerCase()}-${scheme}.png`) });
      }
    }
  });
});
