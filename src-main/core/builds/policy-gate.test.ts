/**
 * The `POLICY image` step through the build service, with real builds on a busybox base made offline:
 * what the Dockerfile cannot show (a user name that is uid 0, ports and users inherited from the base, a
 * base chosen by a build argument, a digest-pinned allow-list) is judged on the built image; an enforce-mode
 * finding fails the build and removes its tags, warn mode and suppression comments let it through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEngineEvent, Build } from '../../../src-shared/contract';
import { whiteoutEntry } from '../build/layers/entry';
import { writeLayer } from '../build/layers/tar-writer';
import { loadImage, putImage, type StoredImage } from '../build/oci/image';
import { MediaType } from '../build/oci/types';
import { ContentStore } from '../build/store/content-store';
import { buildBusyboxImage } from '../build/testing/busybox';
import { EventBus } from '../events/bus';
import { RepoService } from '../git/service';
import { readLayeredFile } from '../policy/image-facts';
import { haveTools } from '../../testing/tools';
import { BuildService } from './service';

const ACTOR = { id: 'tester', name: 'Tester' };
const PASSWD_TOOR =
  'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:toor:/root:/bin/sh\napp:x:1000:1000::/home/user:/bin/sh\n';

describe.runIf(haveTools('busybox'))('the built image under the policy', () => {
  let work: string;
  let bus: EventBus;
  let repos: RepoService;
  let store: ContentStore;
  let builds: BuildService;
  let busybox: StoredImage;
  const events: AnyEngineEvent[] = [];

  /** A variant of the busybox base with another runtime config, under a name of its own. */
  async function variant(name: string, config: Record<string, unknown>): Promise<StoredImage> {
    const image = await putImage(
      store,
      { ...busybox.config, config: { ...busybox.config.config, ...config } },
      busybox.manifest.layers,
    );
    await store.tag(name, image.descriptor);
    return image;
  }

  async function build(repoId: string, files: Record<string, string>, extra: Record<string, unknown> = {}) {
    const repo = repos.has(repoId) ? await repos.get(repoId) : await repos.create({ id: repoId, persist: true }, 't');
    for (const [path, content] of Object.entries(files)) await repo.writeFile(path, Buffer.from(content));
    if (Object.keys(files).length > 0) await repo.commit({ message: 'change' }, ACTOR);
    const created = await builds.create(
      { repo: repoId, dockerfile: 'Dockerfile', tags: [`${repoId}:1`], ...extra },
      't',
    );
    const end = Date.now() + 30_000;
    while (
      !events.some((e) => /^build\.(completed|failed)$/.test(e.type) && (e.data as { id: string }).id === created.id)
    ) {
      if (Date.now() > end) throw new Error('build did not finish');
      await new Promise((r) => setTimeout(r, 20));
    }
    const record = await builds.get(repoId, created.id);
    const log = (await builds.logs(repoId, created.id)).log.text();
    return { record, log, tagged: store.resolve(`${repoId}:1`) !== undefined };
  }

  const imageStep = (record: Build) => record.steps.find((s) => s.text === 'POLICY image');

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-policy-image-'));
    bus = new EventBus();
    repos = new RepoService({ dataDir: work, bus });
    store = await ContentStore.open(join(work, 'store'));
    busybox = await buildBusyboxImage(store);
    builds = new BuildService({ dataDir: work, bus, repos, store });
    bus.subscribe((e) => void events.push(e));
  });
  afterAll(async () => {
    await builds.close();
    await rm(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  it('blocks an image whose USER is a name with uid 0, though the Dockerfile names a non-root user', async () => {
    const { record, log, tagged } = await build('toor', {
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: error\n',
      Dockerfile: 'FROM busybox\nCOPY passwd /etc/passwd\nUSER toor\n',
      passwd: PASSWD_TOOR,
    });
    expect(record.status).toBe('failed');
    expect(record.steps[0]).toMatchObject({ stage: 'policy', status: 'completed' }); // the Dockerfile passed
    expect(imageStep(record)).toMatchObject({ stage: 'policy', status: 'failed' });
    expect(record.error).toMatchObject({ code: 'POLICY_BLOCKED' });
    expect(record.error!.message).toMatch(/^GV1010 at line 1: The built image runs as root \(user "toor"\)/);
    expect(log).toContain('user "toor": uid 0');
    expect(tagged).toBe(false);

    // The same user mapped to uid 1000 passes, and the log says which uid it checked.
    const ok = await build('toor', { passwd: PASSWD_TOOR.replace('toor:x:0:0', 'toor:x:1000:1000') });
    expect(ok.record.status).toBe('completed');
    expect(imageStep(ok.record)).toMatchObject({ status: 'completed' });
    expect(ok.log).toContain('user "toor": uid 1000');
    expect(ok.tagged).toBe(true);
  });

  it('honours warn mode and a suppression comment for the image check', async () => {
    const dockerfile = 'FROM busybox\nCOPY passwd /etc/passwd\nUSER toor\n';
    const warned = await build('warned', {
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: { severity: error, mode: warn }\n',
      Dockerfile: dockerfile,
      passwd: PASSWD_TOOR,
    });
    expect(warned.record.status).toBe('completed');
    expect(warned.log).toMatch(/error GV1010: The built image runs as root/);
    expect(warned.log).not.toContain('blocks the build');

    const ignored = await build('ignored', {
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: error\n',
      Dockerfile: `# govc-ignore GV1010 toor is the vendor's name for the service account\n${dockerfile}`,
      passwd: PASSWD_TOOR,
    });
    expect(ignored.record.status).toBe('completed');
    expect(ignored.log).toContain('suppressed GV1010: The built image runs as root');

    const off = await build('off', {
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: off\n',
      Dockerfile: dockerfile,
      passwd: PASSWD_TOOR,
    });
    expect(off.record.status).toBe('completed');
    expect(off.log).not.toContain('GV1010');
  });

  it('judges what the image inherits from its base: a user and an invalid exposed port', async () => {
    await variant('runs-as-app:1', { User: '1000' });
    const inherited = await build('inherit', {
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: { severity: warning }\n',
      Dockerfile: 'FROM runs-as-app:1\nCOPY a /a\n',
      a: 'a',
    });
    expect(inherited.record.status).toBe('completed');
    expect(inherited.log).toContain('user "1000": uid 1000');
    expect(inherited.log).not.toMatch(/GV1010: The built image/);

    await variant('bad-port:1', { User: '1000', ExposedPorts: { '70000/tcp': {} } });
    const ports = await build('ports', {
      '.govc/policy.yaml': 'version: 1\n',
      Dockerfile: 'FROM bad-port:1\nCOPY a /a\n',
      a: 'a',
    });
    expect(ports.record.status).toBe('failed');
    expect(ports.record.error!.message).toMatch(/GV1063 at line 1: The built image exposes 70000\/tcp/);
    expect(ports.tagged).toBe(false);
  });

  it('checks the base the build resolved with its arguments against baseImages, digests included', async () => {
    const other = await variant('other/base:2', { User: '1000' });
    const files = {
      '.govc/policy.yaml': 'version: 1\nbaseImages:\n  allowed: [busybox, "other/base:1*"]\n',
      // The Dockerfile's default passes GV1004; the build argument picks another image.
      Dockerfile: 'ARG BASE=busybox\nFROM ${BASE}\nCOPY a /a\nUSER 1000\n',
      a: 'a',
    };
    const plain = await build('bases', files);
    expect(plain.record.status).toBe('completed');
    expect(plain.log).toContain(
      `base busybox (stage 0, line 2): ${busybox.descriptor.digest}, the image is built on it`,
    );

    const swapped = await build('bases', {}, { args: { BASE: 'other/base:2' } });
    expect(swapped.record.status).toBe('failed');
    expect(swapped.record.steps[0]).toMatchObject({ status: 'completed' });
    expect(swapped.record.error!.message).toContain(
      `GV1004 at line 2: The build resolved FROM other/base:2 (${other.descriptor.digest})`,
    );

    // A pattern pinned to a digest allows exactly that image, whatever tag the build asked for.
    const pinned = `version: 1\nbaseImages:\n  allowed: ["docker.io/other/base@${other.descriptor.digest}"]\n`;
    const byDigest = await build(
      'pinned',
      { ...files, '.govc/policy.yaml': pinned, Dockerfile: 'ARG BASE\nFROM ${BASE}\nCOPY a /a\n' },
      {
        args: { BASE: 'other/base:2' },
      },
    );
    expect(byDigest.record.status).toBe('completed');
    const wrong = await build('pinned', {}, { args: { BASE: 'busybox' } });
    expect(wrong.record.error!.message).toMatch(/GV1004 at line 2: The build resolved FROM busybox \(sha256:/);
  });

  it('reads a file through the layers, honouring whiteouts', async () => {
    const lower = await writeLayer([
      { path: 'etc', type: 'directory', mode: 0o755 },
      { path: 'etc/passwd', type: 'file', mode: 0o644, content: Buffer.from('root:x:0:0::/:/bin/sh\n') },
    ]);
    const upper = await writeLayer([{ path: 'etc', type: 'directory', mode: 0o755 }, whiteoutEntry('etc/passwd')]);
    const layers = [];
    for (const l of [lower, upper]) layers.push({ mediaType: MediaType.layerGzip, ...(await store.put(l.compressed)) });
    expect(await readLayeredFile(store, layers.slice(0, 1), 'etc/passwd')).toBe('root:x:0:0::/:/bin/sh\n');
    expect(await readLayeredFile(store, layers, 'etc/passwd')).toBeUndefined();
    expect(
      await readLayeredFile(store, (await loadImage(store, 'busybox:latest')).manifest.layers, 'etc/group'),
    ).toContain('user:x:1000:');
  });
});
