/**
 * The buildah engine for real, through the build service: buildah 1.28 with vfs storage and chroot
 * isolation in a temp folder, seeded (as the differential test does) with the offline busybox base via
 * skopeo. Builds give the same step timeline as native builds, cache hits on a rebuild, and an image in
 * the content store; a cancel kills buildah and its RUN (no process left).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEngineEvent } from '../../../src-shared/contract';
import { Buildah } from '../build/differential/peer';
import { exportOciLayout } from '../build/oci/export';
import { loadImage } from '../build/oci/image';
import { ContentStore } from '../build/store/content-store';
import { buildBusyboxImage } from '../build/testing/busybox';
import { BuildService } from '../builds/service';
import { EventBus } from '../events/bus';
import { RepoService } from '../git/service';
import { haveTools } from '../../testing/tools';

const ACTOR = { id: 'tester', name: 'Tester' };

function processes(match: (cmdline: string) => boolean): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return match(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.runIf(haveTools('buildah', 'skopeo', 'busybox'))('buildah engine', () => {
  let work: string;
  let store: ContentStore;
  let repos: RepoService;
  let builds: BuildService;
  const events: AnyEngineEvent[] = [];
  const root = () => join(work, 'buildah-root');

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-buildah-engine-'));
    store = await ContentStore.open(join(work, 'store'));
    await buildBusyboxImage(store);
    await exportOciLayout(
      store,
      [{ name: 'busybox', image: await loadImage(store, 'busybox:latest') }],
      join(work, 'base'),
    );
    await new Buildah(root(), join(work, 'buildah-run')).load(join(work, 'base'), 'busybox', 'busybox:latest');
    const bus = new EventBus();
    bus.subscribe((e) => void events.push(e));
    repos = new RepoService({ dataDir: work, bus });
    builds = new BuildService({
      dataDir: work,
      bus,
      repos,
      store,
      engines: {
        buildah: {
          storageDriver: 'vfs',
          root: root(),
          runroot: join(work, 'buildah-run'),
          isolation: 'chroot',
          pull: 'never',
        },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await builds?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function commit(repoId: string, files: Record<string, string>) {
    const repo = repos.has(repoId)
      ? await repos.get(repoId)
      : await repos.create({ id: repoId, persist: true }, 'tester');
    for (const [path, content] of Object.entries(files)) await repo.writeFile(path, Buffer.from(content));
    return repo.commit({ message: 'change' }, ACTOR);
  }

  async function finished(created: { repo: string; id: string }, ms = 60_000) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const b = await builds.get(created.repo, created.id);
      if (/completed|failed|cancelled/.test(b.status)) return b;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`build ${created.id} did not finish`);
  }

  it('builds a multi-stage Dockerfile into the store, with the step timeline, then all cached', async () => {
    await commit('app', {
      Dockerfile:
        'FROM busybox AS base\nRUN echo one && echo two >&2\nFROM base\nCOPY hello.txt /h.txt\nRUN cat /h.txt\nLABEL team=core\n',
      'hello.txt': 'hi\n',
    });
    const request = {
      repo: 'app',
      dockerfile: 'Dockerfile',
      tags: ['app'],
      engine: 'buildah' as const,
      labels: { x: 'y' },
    };
    const first = await finished(await builds.create(request, 'tester'));
    expect(first).toMatchObject({ status: 'completed', engine: 'buildah', engine_used: 'buildah', error: null });
    // #0 is the build service's policy step; buildah's own steps follow.
    expect(first.steps[0]).toMatchObject({ id: '#0', stage: 'policy' });
    expect(first.steps.slice(1).map((s) => [s.id, s.stage, `${s.position}/${s.total}`, s.text, s.cached])).toEqual([
      ['#1', 'base', '1/2', 'FROM busybox AS base', true],
      ['#2', 'base', '2/2', 'RUN echo one && echo two >&2', false],
      ['#3', 'stage-1', '1/5', expect.stringMatching(/^FROM [0-9a-f]{64}$/), true],
      ['#4', 'stage-1', '2/5', 'COPY hello.txt /h.txt', false],
      ['#5', 'stage-1', '3/5', 'RUN cat /h.txt', false],
      ['#6', 'stage-1', '4/5', 'LABEL team=core', false],
      // buildah applies --label as one more LABEL step of the last stage.
      ['#7', 'stage-1', '5/5', 'LABEL "x"="y"', false],
    ]);
    expect(first.steps.every((s) => s.status === 'completed')).toBe(true);
    const { log } = await builds.logs('app', first.id);
    expect(log.perStep().find((s) => s.id === '#2')?.lines).toEqual(['one', 'two']);
    expect(log.perStep().find((s) => s.id === '#5')?.lines).toEqual(['hi']);
    // The image is in the content store, tagged, with buildah's config (labels included).
    expect(store.resolve('app:latest')?.digest).toBe(first.digest);
    const image = await loadImage(store, 'app:latest');
    expect(image.config.config.Labels).toMatchObject({ team: 'core', x: 'y' });
    expect(first.size).toBeGreaterThan(image.manifest.layers[0]!.size);

    const second = await finished(await builds.create(request, 'tester'));
    expect(second.steps.slice(1).map((s) => s.cached)).toEqual([true, true, true, true, true, true, true]);
    expect(second.cached_steps).toBe(7);
    expect(second.digest).toBe(first.digest);
    const completed = events.filter(
      (e) => e.type === 'build.step.completed' && (e.data as { build: string }).build === second.id,
    );
    expect(completed.map((e) => (e.data as { step: string }).step)).toEqual([
      '#0',
      '#1',
      '#2',
      '#3',
      '#4',
      '#5',
      '#6',
      '#7',
    ]);
  }, 120_000);

  it('records a failing RUN as the failed step with buildah error', async () => {
    await commit('bad', { Dockerfile: 'FROM busybox\nRUN echo about to fail && exit 3\n' });
    const build = await finished(
      await builds.create({ repo: 'bad', dockerfile: 'Dockerfile', engine: 'buildah' }, 't'),
    );
    expect(build.status).toBe('failed');
    expect(build.error).toMatchObject({ code: 'RUN_FAILED', step: '#2' });
    expect(build.error!.message).toMatch(/exit status 3/);
    expect(build.steps.map((s) => s.status)).toEqual(['completed', 'completed', 'failed']);
  }, 60_000);

  it('cancels a running build: buildah and its RUN are killed', async () => {
    // A duration no other test uses: test files run in parallel, and their sleeps must not count here.
    await commit('slow', { Dockerfile: 'FROM busybox\nRUN sleep 4713\n' });
    const build = await builds.create({ repo: 'slow', dockerfile: 'Dockerfile', engine: 'buildah' }, 'tester');
    const end = Date.now() + 30_000;
    while (processes((c) => c === 'sleep 4713').length === 0) {
      if (Date.now() > end) throw new Error('the RUN never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    const started = Date.now();
    const cancelled = await builds.cancel('slow', build.id);
    expect(cancelled.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(cancelled.steps.at(-1)).toMatchObject({ text: 'RUN sleep 4713', status: 'cancelled' });
    expect(processes((c) => c === 'sleep 4713')).toEqual([]);
    expect(processes((c) => c.startsWith('buildah ') && c.includes(root()))).toEqual([]);
  }, 60_000);
});
