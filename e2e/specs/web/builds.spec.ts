import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../../fixtures/page-guard';
import { BuildsPane } from '../../pages/BuildsPane';
import { ShellPage } from '../../pages/ShellPage';
import { WorkspacePane } from '../../pages/WorkspacePane';

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
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    await shell.gotoView('Files');
    const ws = new WorkspacePane(page);
    const builds = new BuildsPane(page);

    const repo = `img-${Date.now().toString(36)}`;
    await ws.createRepo(repo);
    await ws.newFile('Dockerfile');
    await ws.type(DOCKERFILE);
    await ws.save('Dockerfile');
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
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    await shell.gotoView('Files');
    const ws = new WorkspacePane(page);
    const builds = new BuildsPane(page);
    await ws.createRepo(`wt-${Date.now().toString(36)}`);
    await ws.newFile('Dockerfile');
    await ws.type('FROM scratch\nCOPY missing.txt /');
    await ws.save('Dockerfile');

    await builds.openFormWithShortcut();
    await builds.fillForm({ ref: 'worktree' });
    await builds.startFromForm();
    await builds.waitForStatus('failed');
    await expect(builds.panel.getByRole('alert')).toContainText('missing.txt');
  });
});
