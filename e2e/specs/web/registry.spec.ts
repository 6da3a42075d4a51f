import { createHash } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../../fixtures/page-guard';
import { startGovcServer, type GovcServer } from '../../fixtures/server';
import { RegistryPane } from '../../pages/RegistryPane';
import { SettingsPane } from '../../pages/SettingsPane';
import { ShellPage } from '../../pages/ShellPage';

// No base image exists offline: FROM scratch with a COPY makes one real, tiny layer.
const DOCKERFILE = ['FROM scratch', 'COPY Dockerfile /'].join('\n');

/** Builds `team/app:v1` over REST and pushes it to the same server's /v2/ (the images spec covers the UI). */
async function pushImage(request: APIRequestContext, server: GovcServer) {
  const api = (path: string) => `${server.origin}/api/v1${path}`;
  const headers = { authorization: `Bearer ${server.token}` };
  expect((await request.post(api('/repos'), { headers, data: { id: 'app' } })).status()).toBe(201);
  await request.put(api('/repos/app/blob/Dockerfile'), { headers, data: { content: DOCKERFILE } });
  expect((await request.post(api('/repos/app/commit'), { headers, data: { message: 'image' } })).status()).toBe(201);
  const created = await request.post(api('/repos/app/containers/build'), {
    headers,
    data: { dockerfile: 'Dockerfile', tags: ['team/app:v1'] },
  });
  const { id } = (await created.json()) as { id: string };
  await expect
    .poll(async () => {
      const build = await request.get(api(`/repos/app/containers/builds/${id}`), { headers });
      return ((await build.json()) as { status: string }).status;
    })
    .toBe('completed');
  const host = new URL(server.origin).host;
  const pushed = await request.post(api('/images/push'), {
    headers,
    data: {
      ref: 'team/app:v1',
      destination: `${host}/team/app:v1`,
      credentials: { username: 'any', password: server.token },
    },
  });
  expect(pushed.status(), await pushed.text()).toBe(200);
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * Pushes an SBOM artifact whose subject is `team/app:v1` through /v2/, as `oras attach` does: its blobs,
 * then the manifest by digest, which the registry answers with OCI-Subject.
 */
async function attachSbom(request: APIRequestContext, server: GovcServer): Promise<{ subject: string; sbom: string }> {
  const v2 = (path: string) => `${server.origin}/v2/team/app${path}`;
  const headers = { authorization: `Bearer ${server.token}` };
  const head = await request.head(v2('/manifests/v1'), { headers: { ...headers, accept: OCI_MANIFEST } });
  const subject = head.headers()['docker-content-digest']!;
  const size = Number(head.headers()['content-length']);
  const empty = Buffer.from('{}');
  const layer = Buffer.from('{"spdxVersion":"SPDX-2.3","name":"app"}');
  for (const blob of [empty, layer]) {
    const put = await request.post(v2(`/blobs/uploads/?digest=${sha256(blob)}`), {
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      data: blob,
    });
    expect(put.status()).toBe(201);
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/spdx+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: empty.byteLength },
      layers: [{ mediaType: 'application/spdx+json', digest: sha256(layer), size: layer.byteLength }],
      subject: { mediaType: OCI_MANIFEST, digest: subject, size },
      annotations: { 'org.opencontainers.image.title': 'sbom of app v1' },
    }),
  );
  const pushed = await request.put(v2(`/manifests/${sha256(manifest)}`), {
    headers: { ...headers, 'content-type': OCI_MANIFEST },
    data: manifest,
  });
  expect(pushed.status()).toBe(201);
  expect(pushed.headers()['oci-subject']).toBe(subject);
  return { subject, sbom: sha256(manifest) };
}

const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);

test.describe('registry against a fresh govc serve', () => {
  let server: Awaited<ReturnType<typeof startGovcServer>>;
  test.beforeEach(async () => {
    // Its own engine, so the registry is known to start empty whatever other specs did.
    server = await startGovcServer('registry');
  });
  test.afterEach(async () => {
    await server?.stop();
  });

  test('shows the empty registry, then a pushed repository with its tag, anonymous pull and a GC', async ({
    page,
  }, testInfo) => {
    const shell = new ShellPage(page);
    await shell.open(server.signInUrl);
    const registry = new RegistryPane(page);
    await registry.open();
    await expect(registry.empty).toBeVisible();

    await pushImage(page.request, server);
    // The registry.push event reads the list again while the view is shown.
    await expect(registry.repository('team/app')).toBeVisible();
    await expect(registry.tags('team/app')).toHaveText(['v1']);
    await expect(registry.storage).toContainText('1 repository,');

    await registry.toggleAnonymousPull('team/app');
    await expect(registry.anonymousPull('team/app')).toBeChecked();
    const anonymous = await page.request.get(`${server.origin}/v2/team/app/tags/list`);
    expect(anonymous.status()).toBe(200);

    await registry.collectGarbage();
    await expect(registry.gcStatus).toContainText(/Removed \d+ blobs/);
    await page.screenshot({ path: `${testInfo.project.outputDir}/registry.png` });
  });

  test('expands a repository from the keyboard: its tag, manifest type and sizes, and a referrer artifact', async ({
    page,
  }, testInfo) => {
    await pushImage(page.request, server);
    const { subject, sbom } = await attachSbom(page.request, server);
    const shell = new ShellPage(page);
    await shell.open(server.signInUrl);
    const registry = new RegistryPane(page);
    await registry.open();
    await registry.expand('team/app');

    const v1 = registry.manifest('team/app', 'v1');
    await expect(v1).toContainText(short(subject));
    await expect(v1).toContainText('OCI image');
    await expect(v1).toContainText(/manifest, .* in config \+ 1 layer/);
    await expect(registry.referrers('team/app', 'v1')).toHaveCount(1);
    const referrer = registry.referrers('team/app', 'v1').first();
    await expect(referrer).toContainText('application/spdx+json');
    await expect(referrer).toContainText(short(sbom));
    await expect(referrer).toContainText('org.opencontainers.image.title: sbom of app v1');
    // The artifact has no tag: it is counted, not listed as a tag.
    await expect(registry.manifests('team/app').getByRole('rowheader')).toHaveText(['v1']);
    await expect(registry.view.getByText('1 untagged manifest ')).toBeVisible();
    await page.screenshot({ path: `${testInfo.project.outputDir}/registry-details.png` });
  });

  test('shows why anonymous pull was not changed for a reader', async ({ page, pageProblems }) => {
    await pushImage(page.request, server);
    const created = await page.request.post(`${server.origin}/api/v1/tokens`, {
      headers: { authorization: `Bearer ${server.token}` },
      data: { name: 'reader', role: 'reader' },
    });
    const { token } = (await created.json()) as { token: string };
    const shell = new ShellPage(page);
    await shell.open(`${server.origin}/?token=${token}`);
    const registry = new RegistryPane(page);
    await registry.open();
    // The browser logs the refused request itself.
    pageProblems.allow(/status of 403 \(Forbidden\)/);
    await registry.toggleAnonymousPull('team/app');
    await expect(registry.refusal('team/app')).toBeVisible();
    await expect(registry.anonymousPull('team/app')).not.toBeChecked();
  });

  test('shows the build cache statistics in Settings and prunes them after asking', async ({ page }) => {
    await pushImage(page.request, server);
    const shell = new ShellPage(page);
    await shell.open(server.signInUrl);
    const settings = new SettingsPane(page);
    await settings.open();
    await expect(settings.stat('Steps')).not.toHaveText('0');
    await expect(settings.stat('Size')).toContainText(' of ');

    await settings.pruneAll();
    await expect(settings.pruneResult).toContainText(/Forgot [1-9]\d* steps/);
    await expect(settings.stat('Steps')).toHaveText('0');
  });
});
