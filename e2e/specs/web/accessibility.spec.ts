import type { APIRequestContext, Page } from '@playwright/test';
import { contrastProblems, focusWithoutIndicator, unlabelledControls } from '../../support/a11y';
import { expect, test } from '../../fixtures/page-guard';
import { openNewRepo } from '../../fixtures/workspace';
import { ImagesPane } from '../../pages/ImagesPane';
import { ShellPage } from '../../pages/ShellPage';
import { WorkspacePane } from '../../pages/WorkspacePane';

const VIEWS = ['Editor', 'Activity', 'About', 'Files', 'Builds', 'Settings', 'Images', 'Registry'] as const;

/** A repository with a committed Dockerfile and one finished build, so the views show rows, not empty states. */
async function seed(request: APIRequestContext, origin: string, token: string, repo: string): Promise<void> {
  const api = (path: string) => `${origin}/api/v1${path}`;
  const headers = { authorization: `Bearer ${token}` };
  expect((await request.post(api('/repos'), { headers, data: { id: repo } })).status()).toBe(201);
  const dockerfile = 'FROM scratch\nCOPY Dockerfile /\nLABEL team=studio\n';
  await request.put(api(`/repos/${repo}/blob/Dockerfile`), { headers, data: { content: dockerfile } });
  await request.post(api(`/repos/${repo}/commit`), { headers, data: { message: 'A Dockerfile' } });
  const created = await request.post(api(`/repos/${repo}/containers/build`), {
    headers,
    data: { dockerfile: 'Dockerfile', tags: [`${repo}:a11y`] },
  });
  const { id } = (await created.json()) as { id: string };
  await expect
    .poll(async () => {
      const build = await request.get(api(`/repos/${repo}/containers/builds/${id}`), { headers });
      return ((await build.json()) as { status: string }).status;
    })
    .toBe('completed');
}

async function showView(page: Page, name: (typeof VIEWS)[number]): Promise<void> {
  const rail = page.getByRole('navigation', { name: 'Views' });
  await rail.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
  // Views read their data when shown; let the answers land before judging what is drawn.
  await page.waitForTimeout(400);
}

test('the checks find planted problems: a control without a name, focus without an indicator, pale text', async ({
  page,
  govcServer,
}) => {
  const shell = new ShellPage(page);
  await shell.open(govcServer.signInUrl);
  await showView(page, 'About');
  // A string: this project type-checks e2e code for Node, without the DOM's types.
  await page.evaluate(`
    const planted = document.createElement('div');
    planted.innerHTML =
      '<button id="planted-icon"><svg width="16" height="16"></svg></button>' +
      '<a href="#x" id="planted-link" style="outline: none">planted link</a>' +
      '<p style="color: #aaaaaa; background: #ffffff">planted pale text</p>';
    document.querySelector('section[aria-label="About"]').prepend(planted);
  `);
  expect((await unlabelledControls(page)).join('\n')).toContain('id="planted-icon"');
  expect((await focusWithoutIndicator(page, 80)).problems.join('\n')).toContain('planted link');
  expect(await contrastProblems(page)).toContainEqual(
    expect.objectContaining({ text: 'planted pale text', color: '#aaaaaa', background: '#ffffff', needed: 4.5 }),
  );
});

test('Tab can leave the editor: Ctrl+M switches Tab from typing a tab to moving focus', async ({
  page,
  govcServer,
}) => {
  const { ws } = await openNewRepo(page, govcServer, 'tabs');
  await ws.newFile('notes.txt');
  await ws.type('a');
  const inEditor = async () => (await page.locator('.ws-editor .monaco-editor :focus').count()) > 0;
  await page.keyboard.press('Tab');
  expect(await inEditor()).toBe(true);
  await expect.poll(() => ws.editorText()).toMatch(/^a\s+$/);
  await page.keyboard.press('Control+KeyM');
  await page.keyboard.press('Tab');
  expect(await inEditor()).toBe(false);
  await expect(page.locator(':focus-visible')).toHaveCount(1);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every main view in the ${scheme} theme: named controls, visible focus, AA text contrast`, async ({
    page,
    govcServer,
  }, testInfo) => {
    test.setTimeout(120_000);
    const repo = `a11y-${scheme}-${Date.now().toString(36)}`;
    await seed(page.request, govcServer.origin, govcServer.token, repo);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1440, height: 900 });
    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);

    const found: string[] = [];
    const visited: string[] = [];
    for (const view of VIEWS) {
      await showView(page, view);
      // Views with rows are judged with one opened: the details are where most of the text is.
      if (view === 'Files') {
        const ws = new WorkspacePane(page);
        await ws.repoPicker.selectOption(repo);
        await ws.treeItem('Dockerfile').click();
        await expect(ws.tab('Dockerfile')).toBeVisible();
        await page.waitForTimeout(400);
      }
      if (view === 'Builds') {
        const builds = page.getByRole('region', { name: 'Builds', exact: true });
        await builds
          .getByRole('button', { name: /^Show build / })
          .first()
          .click();
        await page.waitForTimeout(400);
      }
      if (view === 'Images') await new ImagesPane(page).select(`${repo}:a11y`);
      found.push(...(await unlabelledControls(page)).map((p) => `${view}: ${p}`));
      found.push(
        ...(await contrastProblems(page)).map(
          (p) => `${view}: contrast ${p.ratio}:1 < ${p.needed}:1, ${p.color} on ${p.background}: "${p.text}"`,
        ),
      );
      const focus = await focusWithoutIndicator(page, 50);
      found.push(...focus.problems.map((p) => `${view}: ${p}`));
      visited.push(`${view} ${focus.visited}`);
      // The rail alone has eight buttons: fewer means Tab went nowhere and the check proved nothing.
      expect(focus.visited, `focus stops reached in ${view}`).toBeGreaterThan(8);
      await page.screenshot({ path: testInfo.outputPath(`a11y-${scheme}-${view.toLowerCase()}.png`) });
    }
    // A dialog: the shortcuts overlay (F1), where focus stays inside.
    await showView(page, 'Files');
    await page.keyboard.press('F1');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Tab moves focus instead of indenting');
    found.push(...(await unlabelledControls(page)).map((p) => `Shortcuts: ${p}`));
    found.push(
      ...(await contrastProblems(page)).map(
        (p) => `Shortcuts: contrast ${p.ratio}:1 < ${p.needed}:1, ${p.color} on ${p.background}: "${p.text}"`,
      ),
    );
    found.push(...(await focusWithoutIndicator(page, 5)).problems.map((p) => `Shortcuts: ${p}`));
    await page.screenshot({ path: testInfo.outputPath(`a11y-${scheme}-shortcuts.png`) });
    await page.keyboard.press('Escape');

    testInfo.annotations.push({ type: 'focus stops reached', description: visited.join(', ') });
    expect(found, found.join('\n')).toEqual([]);
  });
}
