import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from '../../fixtures/page-guard';
import type { GovcServer } from '../../fixtures/server';
import { ShellPage } from '../../pages/ShellPage';
import { WorkspacePane } from '../../pages/WorkspacePane';

const DOCS_SCREENSHOT = fileURLToPath(new URL('../../../docs/images/workspace.png', import.meta.url));
const DOCKERFILE = ['FROM node:20-alpine AS build', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build'].join(
  '\n',
);

/** A repository name no other test in this worker's server uses. */
const uniqueRepo = (label: string) => `${label}-${Date.now().toString(36)}`;

async function openWorkspace(page: Page, server: GovcServer): Promise<{ shell: ShellPage; ws: WorkspacePane }> {
  const shell = new ShellPage(page);
  await shell.open(server.signInUrl);
  await shell.gotoView('Files');
  return { shell, ws: new WorkspacePane(page) };
}

/** Into test-results/e2e/<name>.png, and docs/images when missing or asked for (UPDATE_DOCS_SCREENSHOTS=1). */
async function screenshot(page: Page, testInfo: TestInfo, name: string, docsCopy?: string): Promise<void> {
  const shot = join(testInfo.project.outputDir, `${name}.png`);
  await page.screenshot({ path: shot });
  if (docsCopy && (process.env.UPDATE_DOCS_SCREENSHOTS === '1' || !existsSync(docsCopy))) {
    await mkdir(dirname(docsCopy), { recursive: true });
    await copyFile(shot, docsCopy);
  }
}

test.describe('workspace against govc serve', () => {
  test('creates a repository, writes a Dockerfile, commits it and finds it in history with its diff', async ({
    page,
    govcServer,
  }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 820 });
    await page.emulateMedia({ colorScheme: 'dark' });
    const { ws } = await openWorkspace(page, govcServer);
    const repo = uniqueRepo('app');

    await ws.createRepo(repo);
    await ws.newFile('Dockerfile');
    await expect(ws.tab('Dockerfile')).toHaveAccessibleName('Dockerfile, unsaved');
    await ws.type(DOCKERFILE);
    await ws.save('Dockerfile');

    await expect(ws.treeItem('Dockerfile')).toHaveAccessibleName('Dockerfile, added');
    await expect(ws.change('Dockerfile')).toContainText('A');
    await expect(ws.commitButton).toHaveText('Commit all 1');

    await ws.commitMessage.fill('x'.repeat(80));
    await expect(ws.region.getByText(/The summary is 80 characters/)).toBeVisible();
    await ws.commit('Add the app image');
    await expect(ws.changes).toHaveCount(0);
    await expect(ws.commitRow('Add the app image')).toHaveCount(1);

    await ws.showCommitDiff('Add the app image', 'Dockerfile');
    await expect.poll(() => ws.diffModifiedText()).toContain('FROM node:20-alpine AS build');

    // Edit again: the change shows in the changes list and its diff against HEAD.
    await ws.tab('Dockerfile').click();
    await ws.type('\nEXPOSE 8080');
    await ws.save('Dockerfile');
    await expect(ws.change('Dockerfile')).toContainText(/\+2\s*−1/);
    await screenshot(page, testInfo, 'workspace', DOCS_SCREENSHOT);
    await ws.region.getByRole('button', { name: 'Show diff of Dockerfile (modified)' }).click();
    await expect.poll(() => ws.diffModifiedText()).toContain('EXPOSE 8080');
    await ws.region.getByRole('button', { name: 'Inline diff' }).click();
    await expect(ws.region.getByRole('button', { name: 'Inline diff' })).toHaveAttribute('aria-pressed', 'true');
    await screenshot(page, testInfo, 'workspace-diff');
  });

  test('keeps unsaved text across file switches, view switches and a reload', async ({ page, govcServer }) => {
    const { shell, ws } = await openWorkspace(page, govcServer);
    await ws.createRepo(uniqueRepo('drafts'));
    await ws.newFile('compose.yaml');
    await ws.type('services:\n  web:\n    image: nginx');
    await ws.save('compose.yaml');
    await ws.newFile('Dockerfile');
    await ws.type('FROM alpine');
    await ws.save('Dockerfile');

    await ws.type('\nRUN echo not saved yet');
    await expect(ws.tab('Dockerfile')).toHaveAccessibleName('Dockerfile, unsaved');
    await ws.tab('compose.yaml').click();
    await expect.poll(() => ws.editorText()).toContain('image: nginx');
    await ws.tab('Dockerfile').click();
    await expect.poll(() => ws.editorText()).toContain('RUN echo not saved yet');

    await shell.gotoView('Activity');
    await shell.gotoView('Files');
    await expect.poll(() => ws.editorText()).toContain('RUN echo not saved yet');

    await shell.reload();
    await shell.gotoView('Files');
    await expect(ws.tab('Dockerfile')).toHaveAccessibleName('Dockerfile, unsaved');
    await expect.poll(() => ws.editorText()).toContain('RUN echo not saved yet');
    await expect(ws.unsavedNote).toHaveText('Unsaved changes (kept from your last session)');
  });

  test('restores a changed file to HEAD after asking', async ({ page, govcServer }) => {
    const { ws } = await openWorkspace(page, govcServer);
    await ws.createRepo(uniqueRepo('restore'));
    await ws.newFile('Dockerfile');
    await ws.type('FROM alpine');
    await ws.save('Dockerfile');
    await ws.commit('First');
    await ws.type('\nRUN rm -rf /');
    await ws.save('Dockerfile');

    await ws.region.getByRole('button', { name: 'Restore Dockerfile' }).click();
    await expect(ws.dialog).toContainText('Throw away the changes to Dockerfile');
    await ws.dialog.getByRole('button', { name: 'Restore' }).click();
    await expect(ws.changes).toHaveCount(0);
    await expect.poll(() => ws.editorText()).not.toContain('rm -rf');
  });

  test('creates and switches branches, and shows the conflicting path of a merge', async ({
    page,
    govcServer,
    pageProblems,
  }) => {
    const { ws } = await openWorkspace(page, govcServer);
    await ws.createRepo(uniqueRepo('branches'), { persist: true });
    await ws.newFile('Dockerfile');
    await ws.type('FROM alpine:3.19');
    await ws.save('Dockerfile');
    await ws.commit('Base image');
    await expect(ws.branchPicker).toHaveValue('main');

    await ws.createBranch('feature');
    await ws.type('FROM alpine:3.20', { replace: true });
    await ws.save('Dockerfile');
    await ws.commit('Newer Alpine');

    await ws.switchBranch('main');
    await expect.poll(() => ws.editorText()).toContain('FROM alpine:3.19');
    await expect(ws.commitRow('Newer Alpine')).toHaveCount(0);
    await ws.type('FROM debian:12', { replace: true });
    await ws.save('Dockerfile');
    await ws.commit('Debian instead');

    // A conflict is the engine's 409 (MERGE_CONFLICT), which the browser logs: expected here.
    pageProblems.allow(/status of 409 \(Conflict\)/);
    await ws.merge('feature');
    await expect(ws.conflicts).toHaveText(['Dockerfile']);
    await expect(ws.branchPicker).toHaveValue('main');
  });

  test('follows another client: its commit appears without a reload', async ({ page, govcServer, request }) => {
    const { ws } = await openWorkspace(page, govcServer);
    const repo = uniqueRepo('live');
    await ws.createRepo(repo);
    const api = `${govcServer.origin}/api/v1/repos/${repo}`;
    const headers = { authorization: `Bearer ${govcServer.token}` };

    expect((await request.put(`${api}/blob/README.md`, { headers, data: { content: '# hi\n' } })).ok()).toBe(true);
    expect((await request.post(`${api}/commit`, { headers, data: { message: 'From a script' } })).ok()).toBe(true);
    await expect(ws.commitRow('From a script')).toHaveCount(1);
    await expect(ws.treeItem('README.md')).toBeVisible();
    expect((await request.post(`${api}/branches`, { headers, data: { name: 'elsewhere' } })).ok()).toBe(true);
    await expect(ws.branchPicker.getByRole('option', { name: 'elsewhere' })).toBeAttached();
  });

  test('lists every shortcut in the help overlay and works from the keyboard', async ({ page, govcServer }) => {
    const { ws } = await openWorkspace(page, govcServer);
    await ws.createRepo(uniqueRepo('keys'));
    await page.keyboard.press('F1');
    await expect(ws.dialog).toHaveAccessibleName('Keyboard shortcuts');
    await expect(ws.dialog.getByRole('row', { name: /^Commit Ctrl/ })).toContainText('Ctrl+Enter');
    await expect(ws.dialog.getByRole('row', { name: /^Commit and build/ })).toContainText('Ctrl+Shift+Enter');
    await expect(ws.dialog.getByRole('row', { name: /Save the file/ })).toContainText('Ctrl+S');
    await page.keyboard.press('Escape');
    await expect(ws.dialog).toHaveCount(0);

    await page.keyboard.press('Alt+KeyB');
    await expect(ws.branchPicker).toBeFocused();
    await page.keyboard.press('Alt+KeyP');
    await expect(ws.repoPicker).toBeFocused();
    await expect(ws.repoPicker).not.toHaveCSS('outline-style', 'none');
  });
});
