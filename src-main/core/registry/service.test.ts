/**
 * The registry service without HTTP: blobs stored once, reference counts, persistence across a restart,
 * interrupted uploads, and the garbage collector's grace period.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestHex, digestOf } from './digest';
import { RegistryError } from './errors';
import { RegistryService } from './service';

const dirs: string[] = [];
function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'govc-registry-'));
  dirs.push(dir);
  return join(dir, 'registry');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function upload(
  registry: RegistryService,
  repo: string,
  data: Buffer,
  algorithm: 'sha256' | 'sha512' = 'sha256',
) {
  const session = registry.startUpload(repo, algorithm);
  await registry.uploads.append(session, [data]);
  return registry.finishUpload(session, digestOf(data, algorithm));
}

function manifest(config: Buffer, layers: Buffer[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: digestOf(config),
        size: config.byteLength,
      },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: digestOf(l),
        size: l.byteLength,
      })),
    }),
  );
}

async function pushImage(registry: RegistryService, repo: string, tag: string, layers: Buffer[]): Promise<string> {
  const config = Buffer.from(JSON.stringify({ repo, tag }));
  for (const blob of [...layers, config]) await upload(registry, repo, blob);
  const record = await registry.putManifest(
    repo,
    tag,
    manifest(config, layers),
    'application/vnd.oci.image.manifest.v1+json',
  );
  return record.digest;
}

for (const persist of [false, true]) {
  describe(`registry service (${persist ? 'OCI layout on disk' : 'memory'})`, () => {
    const open = (root = tempRoot()) => new RegistryService({ root, persist, gcGraceMs: 60_000 });

    it('stores a blob once whatever the number of repositories and tags, and counts its references', async () => {
      const registry = open();
      const layer = randomBytes(10_000);
      for (const repo of ['a', 'b/c', 'd/e/f']) {
        await pushImage(registry, repo, 'v1', [layer]);
        await pushImage(registry, repo, 'v2', [layer]);
      }
      expect(registry.store.list().filter((b) => b.digest === digestOf(layer))).toHaveLength(1);
      // v1 and v2 have different configs, so 6 manifests hold the layer.
      expect(registry.repos.refCount(digestOf(layer))).toBe(6);
      expect(registry.catalog()).toEqual(['a', 'b/c', 'd/e/f']);
      expect(registry.tags('b/c')).toEqual(['v1', 'v2']);
    });

    it('verifies sha256 and sha512 digests, re-hashing when the closing digest names the other algorithm', async () => {
      const registry = open();
      const data = randomBytes(3000);
      const session = registry.startUpload('x', 'sha256');
      await registry.uploads.append(session, [data.subarray(0, 1000)], { start: 0, end: 999 });
      await expect(
        registry.uploads.append(session, [data.subarray(2000)], { start: 2000, end: 2999 }),
      ).rejects.toMatchObject({
        code: 'BLOB_UPLOAD_INVALID',
        status: 416,
      });
      await registry.uploads.append(session, [data.subarray(1000)], { start: 1000, end: 2999 });
      const info = await registry.finishUpload(session, digestOf(data, 'sha512'));
      expect(info).toEqual({ digest: digestOf(data, 'sha512'), size: 3000 });
      expect((await registry.store.get(info.digest)).equals(data)).toBe(true);
      const bad = registry.startUpload('x');
      await registry.uploads.append(bad, [data]);
      await expect(registry.finishUpload(bad, digestOf(Buffer.from('else')))).rejects.toBeInstanceOf(RegistryError);
      expect(registry.store.stat(digestOf(Buffer.from('else')))).toBeUndefined();
    });

    it('keeps unreferenced blobs through the grace period, then collects them', async () => {
      let now = 1_000_000;
      const registry = new RegistryService({ root: tempRoot(), persist, gcGraceMs: 60_000, now: () => now });
      const orphan = randomBytes(100);
      await upload(registry, 'pending', orphan);
      expect((await registry.gc()).removed).toEqual([]);
      now += 61_000;
      const report = await registry.gc();
      expect(report.removed).toEqual([digestOf(orphan)]);
      expect(report.freedBytes).toBe(100);
      expect(() => registry.blob('pending', digestOf(orphan))).toThrow(RegistryError);
    });
  });
}

describe('registry persistence', () => {
  it('keeps manifests, tags, blobs and settings across a restart, in an OCI layout', async () => {
    const root = tempRoot();
    const first = new RegistryService({ root, persist: true });
    const layer = randomBytes(5 * 1024 * 1024);
    const digest = await pushImage(first, 'team/app', 'v1', [layer]);
    first.setAnonymousPull('team/app', true);
    const second = new RegistryService({ root, persist: true });
    expect(second.loadProblems).toEqual([]);
    expect(second.tags('team/app')).toEqual(['v1']);
    expect(second.manifest('team/app', 'v1').digest).toBe(digest);
    expect((await second.store.get(digestOf(layer))).equals(layer)).toBe(true);
    expect(second.anonymousPull('team/app')).toBe(true);
    expect(second.repos.refCount(digestOf(layer))).toBe(1);
    expect(JSON.parse(readFileSync(join(root, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as {
      manifests: Array<{ digest: string; annotations: Record<string, string> }>;
    };
    expect(index.manifests).toEqual([
      expect.objectContaining({
        digest,
        annotations: { 'io.govc.registry.repository': 'team/app', 'org.opencontainers.image.ref.name': 'team/app:v1' },
      }),
    ]);
  });

  it('never shows an interrupted upload: its bytes stay in .uploads and are gone after a restart', async () => {
    const root = tempRoot();
    const first = new RegistryService({ root, persist: true });
    const data = randomBytes(3 * 1024 * 1024);
    const session = first.startUpload('crash');
    await first.uploads.append(session, [data.subarray(0, 2 * 1024 * 1024)]);
    const [temp] = readdirSync(join(root, '.uploads'));
    expect(temp).toMatch(new RegExp(`^${process.pid}\\.`));
    expect(existsSync(join(root, 'blobs', 'sha256', digestHex(digestOf(data))))).toBe(false);
    // Another process sharing the folder opens it: a live writer's upload is left alone.
    new RegistryService({ root, persist: true });
    expect(readdirSync(join(root, '.uploads'))).toEqual([temp]);
    // "Crash": the writer's process is gone (a pid no process has) when a new service opens the folder.
    renameSync(join(root, '.uploads', temp!), join(root, '.uploads', temp!.replace(/^\d+/, '4194999')));
    const second = new RegistryService({ root, persist: true });
    expect(readdirSync(join(root, '.uploads'))).toEqual([]);
    expect(second.store.stat(digestOf(data))).toBeUndefined();
    expect(readdirSync(join(root, 'blobs', 'sha256'))).toEqual([]);
  });
});
