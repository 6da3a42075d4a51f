import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../../fixtures/page-guard';
import { ImagesPane } from '../../pages/ImagesPane';
import { ShellPage } from '../../pages/ShellPage';

// No base image exists offline: FROM scratch with a COPY makes one real layer.
const DOCKERFILE = ['FROM scratch', 'COPY Dockerfile /', 'ENV MODE=e2e', 'LABEL team=studio'].join('\n');

/** The image is set up over REST (the builds spec covers building from the UI). */
async function buildImage(request: APIRequestContext, origin: string, token: string, repo: string, tag: string) {
  const api = (path: string) => `${origin}/api/v1${path}`;
  const headers = { authorization: `Bearer ${token}` };
  expect((await request.post(api('/repos'), { headers, data: { id: repo } })).status()).toBe(201);
  await request.put(api(`/repos/${repo}/blob/Dockerfile`), { headers, data: { content: DOCKERFILE } });
  expect((await request.post(api(`/repos/${repo}/commit`), { headers, data: { message: 'image' } })).status()).toBe(
    201,
  );
  const created = await request.post(api(`/repos/${repo}/containers/build`), {
    headers,
    data: { dockerfile: 'Dockerfile', tags: [tag] },
  });
  const { id } = (await created.json()) as { id: string };
  await expect
    .poll(
      async () => {
        const build = await request.get(api(`/repos/${repo}/containers/builds/${id}`), { headers });
        return ((await build.json()) as { status: string }).status;
      },
      { timeout: 30_000 },
    )
    .toBe('completed');
}

test.describe('images against govc serve', () => {
  let exportDir: string;
  test.beforeEach(async () => {
    exportDir = await mkdtemp(join(tmpdir(), 'govc-e2e-export-'));
  });
  test.afterEach(async () => {
    if (exportDir) await rm(exportDir, { recursive: true, force: true });
  });

  test('lists a built image, shows its layers with the COPY, exports it as an OCI layout, signs it and deletes it', async ({
    page,
    govcServer,
    pageProblems,
  }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const repo = `imgs-${Date.now().toString(36)}`;
    const tag = `${repo}:dev`;
    await buildImage(page.request, govcServer.origin, govcServer.token, repo, tag);

    const shell = new ShellPage(page);
    await shell.open(govcServer.signInUrl);
    const images = new ImagesPane(page);
    await images.open();
    await expect(images.image(tag)).toBeVisible();

    await images.select(tag);
    await expect(images.layers).toHaveCount(1);
    await expect(images.layers.first()).toContainText('COPY Dockerfile /');
    await expect(images.configuration).toContainText('MODE=e2e');
    await expect(images.configuration).toContainText('team=studio');
    await expect(images.history.filter({ hasText: 'ENV MODE=e2e' })).toContainText('no layer');

    const dest = join(exportDir, 'layout');
    await images.exportAs('oci', dest);
    await expect(images.status).toContainText(`to ${dest}`);
    expect(existsSync(join(dest, 'index.json'))).toBe(true);
    await page.screenshot({ path: join(testInfo.project.outputDir, 'images.png') });

    // Exporting over it again is refused with the reason (the browser logs the 409 itself).
    pageProblems.allow(/status of 409 \(Conflict\)/);
    await images.exportAs('oci', dest);
    await expect(images.status).toContainText('not empty');

    // Signed with the engine's key: the status names the key, and the engine lists one verified signature.
    const headers = { authorization: `Bearer ${govcServer.token}` };
    const key = (await (
      await page.request.get(`${govcServer.origin}/api/v1/images/signing-key`, { headers })
    ).json()) as {
      key_id: string;
    };
    await images.signSelected();
    await expect(images.status).toContainText(`Signed ${tag} with key ${key.key_id}`);
    const listed = await page.request.get(
      `${govcServer.origin}/api/v1/images/signatures?ref=${encodeURIComponent(tag)}`,
      { headers },
    );
    expect(((await listed.json()) as { signatures: unknown[] }).signatures).toEqual([
      expect.objectContaining({ key_id: key.key_id, verified: true, trusted: true }),
    ]);

    await images.deleteSelected();
    await expect(images.image(tag)).toHaveCount(0);
  });
});
