import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../../fixtures/page-guard';
import { openNewRepo } from '../../fixtures/workspace';
import { BuildsPane } from '../../pages/BuildsPane';
import { ShellPage } from '../../pages/ShellPage';
import { startHoldingServer } from '../../support/holding-server';

const DOCS_SCREENSHOT = fileURLToPath(new URL('../../../docs/images/builds.png', import.meta.url));
// No base image exists offline: FROM scratch with steps that build for real without one.
const DOCKERFILE = ['FROM scratch', 'ARG GREETING=hello', 'COPY Dockerfile /', 'ENV A=1', 'LABEL x=y'].join('\n');

test.describe('builds against govc serve', () => {
  test('builds a committed Dockerfile from the form, watches the timeline, rebuilds from the cache and compares', async ({
    page,
    govcServer,
  }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    const { shell, ws, repo } = await openNewRepo(page, govcServer, 'img');
    const builds = new BuildsPane(page);
    await ws.writeFile('Dockerfile', DOCKERFILE);
    await ws.commit('Add a scratch image');

    await builds.openFormWithShortcut();
    // The ARG's default comes from the definitions summary.
    await expect(builds.form.getByRole('textbox', { name: 'Build argument GREETING' })).toHaveValue('hello');
    await builds.fillForm({ tags: `${repo}:dev`, labels: 'team=studio' });
    await builds.startFromForm();

    await builds.waitForStatus('completed');
    await expect(builds.step('COPY Dockerfile /')).toBeVisible();
    await expect(builds.step('COPY Dockerfile /')).not.toContainText('CACHED');
    await expect(builds.step('FROM scratch')).toContainText('CACHED');
    await expect(builds.toasts.filter({ hasText: `${repo}: Dockerfile completed` })).toBeVisible();

    await builds.rebuild();
    await expect(builds.status).toHaveText(/pending|running|completed/);
    await builds.waitForStatus('completed');
    await expect(builds.step('COPY Dockerfile /')).toContainText('CACHED');

    const shot = join(testInfo.project.outputDir, 'builds.png');
    await page.screenshot({ path: shot });
    const log = await builds.showLogs();
    await expect(log).toBeVisible();
    await page.screenshot({ path: join(testInfo.project.outputDir, 'builds-logs.png') });
    await builds.showTimeline();
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' || !existsSync(DOCS_SCREENSHOT)) {
      await mkdir(dirname(DOCS_SCREENSHOT), { recursive: true });
      await copyFile(shot, DOCS_SCREENSHOT);
    }

    await shell.gotoView('Builds');
    await expect(builds.history).toHaveCount(2);
    await expect(builds.history.first()).toContainText('completed');
    await expect(builds.history.first()).toContainText(/\d+%/);
    await builds.compareFirstTwo();
    await expect(builds.comparison).toContainText('the same image');
  });

  test('a build of a file never committed fails with the reason shown', async ({ page, govcServer }) => {
    const { ws } = await openNewRepo(page, govcServer, 'wt');
    const builds = new BuildsPane(page);
    await ws.writeFile('Dockerfile', 'FROM scratch\nCOPY missing.txt /');

    await builds.buildFromForm({ ref: 'worktree' });
    await builds.waitForStatus('failed');
    await expect(builds.panel.getByRole('alert')).toContainText('missing.txt');
  });

  test("Commit and build (Ctrl+Shift+Enter) builds the new commit with the last build's values and shows it in Builds", async ({
    page,
    govcServer,
    request,
  }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    const { shell, ws, repo } = await openNewRepo(page, govcServer, 'cab');
    const builds = new BuildsPane(page);
    await ws.writeFile('Dockerfile', DOCKERFILE);
    await ws.commit('Add a scratch image');
    await builds.buildFromForm({ tags: `${repo}:v1`, labels: 'team=studio' });
    await builds.waitForStatus('completed');

    await ws.type('\nENV B=2');
    await ws.save('Dockerfile');
    await expect(ws.region.getByRole('group', { name: 'Commit and build' })).toContainText('Dockerfile');
    await ws.commitAndBuild('Set B');

    await expect(shell.railButton('Builds')).toHaveAttribute('aria-current', 'page');
    await expect(builds.viewStatus).toHaveText('completed', { timeout: 30_000 });
    const headers = { authorization: `Bearer ${govcServer.token}` };
    const api = `${govcServer.origin}/api/v1/repos/${repo}`;
    const log = (await (await request.get(`${api}/log?limit=1`, { headers })).json()) as {
      commits: { hash: string }[];
    };
    const head = log.commits[0]!.hash;
    const list = (await (await request.get(`${api}/containers/builds?limit=1`, { headers })).json()) as {
      builds: { ref: string; commit: string; tags: string[]; labels: Record<string, string> }[];
    };
    expect(list.builds[0]).toMatchObject({ ref: head, commit: head, tags: [`${repo}:v1`], labels: { team: 'studio' } });
    await expect(builds.history.first()).toContainText(head.slice(0, 7));
    await page.screenshot({ path: join(testInfo.project.outputDir, 'builds-light.png') });
    await shell.gotoView('Files');
    await expect(ws.commitMessage).toHaveValue('');
    await expect(ws.commitRow('Set B')).toHaveCount(1);
    await page.screenshot({ path: join(testInfo.project.outputDir, 'workspace-light.png') });
  });

  test('the Builds item of the rail counts running and queued builds, live', async ({ page, govcServer, request }) => {
    const slow = await startHoldingServer();
    try {
      const shell = new ShellPage(page);
      await shell.open(govcServer.signInUrl);
      await expect(shell.buildsRailButton).toHaveAccessibleName('Builds');
      const repo = `badge-${Date.now().toString(36)}`;
      const headers = { authorization: `Bearer ${govcServer.token}` };
      const api = `${govcServer.origin}/api/v1/repos/${repo}`;
      expect((await request.post(`${govcServer.origin}/api/v1/repos`, { headers, data: { id: repo } })).ok()).toBe(
        true,
      );
      const dockerfile = `FROM scratch\nADD ${slow.url} /slow.txt\n`;
      expect((await request.put(`${api}/blob/Dockerfile`, { headers, data: { content: dockerfile } })).ok()).toBe(true);
      const build = () =>
        request.post(`${api}/containers/build`, { headers, data: { dockerfile: 'Dockerfile', ref: 'worktree' } });
      const settings = await (await request.get(`${govcServer.origin}/api/v1/builds/settings`, { headers })).json();
      const started = [await build(), await build(), await build()];
      expect(started.every((r) => r.status() === 202)).toBe(true);
      // Up to `concurrency` run, the rest wait: all count.
      expect((settings as { concurrency: number }).concurrency).toBeLessThan(3);
      await expect(shell.buildsRailButton).toHaveAccessibleName('Builds, 3 running or queued');
      await expect(shell.statusBar).toContainText('3 builds running or queued');

      // A reload reads them from builds.active rather than from events it never saw.
      await shell.reload();
      await expect(shell.buildsRailButton).toHaveAccessibleName('Builds, 3 running or queued');
      await expect.poll(() => slow.waiting(), { timeout: 10_000 }).toBeGreaterThan(0);
      await expect
        .poll(
          async () => {
            slow.release(); // the queued ones ask once they run
            return shell.buildsRailButton.getAttribute('aria-label');
          },
          { timeout: 30_000 },
        )
        .toBe('Builds');
    } finally {
      await slow.close();
    }
  });

  test('cancels a running build from the panel', async ({ page, govcServer }) => {
    const slow = await startHoldingServer();
    try {
      const { shell, ws } = await openNewRepo(page, govcServer, 'cancel');
      const builds = new BuildsPane(page);
      await ws.writeFile('Dockerfile', `FROM scratch\nADD ${slow.url} /slow.txt`);
      await builds.buildFromForm({ ref: 'worktree' });
      await builds.waitForStatus('running');
      await expect.poll(() => slow.waiting(), { timeout: 10_000 }).toBe(1);

      await builds.cancel();
      await builds.waitForStatus('cancelled');
      await expect(shell.buildsRailButton).toHaveAccessibleName('Builds');
      await expect(builds.panel.getByRole('button', { name: /Rebuild/ })).toBeEnabled();
    } finally {
      await slow.close();
    }
  });

  test('a running build left and come back to, even across a reload, shows what happened meanwhile', async ({
    page,
    govcServer,
  }) => {
    const slow = await startHoldingServer();
    try {
      const { shell, ws } = await openNewRepo(page, govcServer, 'back');
      const builds = new BuildsPane(page);
      await ws.writeFile(
        'Dockerfile',
        `FROM scratch\nCOPY Dockerfile /a\nADD ${slow.url} /slow.txt\nCOPY Dockerfile /b`,
      );
      await builds.buildFromForm({ ref: 'worktree' });
      await builds.waitForStatus('running');
      await expect.poll(() => slow.waiting(), { timeout: 10_000 }).toBe(1);

      await shell.reload();
      await shell.gotoView('Settings');
      await shell.gotoView('Files');
      await expect(builds.status).toHaveText('running');
      await expect(builds.step('COPY Dockerfile /a')).toBeVisible();
      await expect(builds.step(`ADD ${slow.url}`)).toBeVisible();
      await expect(builds.step('COPY Dockerfile /b')).toHaveCount(0);

      slow.release();
      await builds.waitForStatus('completed');
      await expect(builds.step('COPY Dockerfile /b')).toBeVisible();
    } finally {
      await slow.close();
    }
  });

  test('the build panel resizes with the mouse and the keyboard and keeps its height across a reload', async ({
    page,
    govcServer,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const { shell, ws } = await openNewRepo(page, govcServer, 'split');
    const builds = new BuildsPane(page);
    await ws.writeFile('Dockerfile', 'FROM scratch\nENV A=1');
    await builds.buildFromForm({ ref: 'worktree' });
    await builds.waitForStatus('completed');

    const before = await builds.panelHeight();
    const bar = (await builds.splitter.boundingBox())!;
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2 - 100, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => builds.panelHeight()).toBe(before + 100);
    const dock = (await builds.dock.boundingBox())!;
    expect(Math.round(dock.height)).toBe(before + 100);

    await builds.splitter.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => builds.panelHeight()).toBe(before + 60);
    await page.keyboard.press('Home');
    await expect(builds.splitter).toHaveAttribute('aria-valuenow', '80');
    await page.keyboard.press('PageUp');
    await page.keyboard.press('ArrowUp');
    await expect(builds.splitter).toHaveAttribute('aria-valuenow', '200');

    await shell.reload();
    await shell.gotoView('Files');
    await expect(builds.status).toHaveText('completed');
    await expect(builds.splitter).toHaveAttribute('aria-valuenow', '200');
  });
});
