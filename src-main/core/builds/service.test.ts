/**
 * The build service with real builds (bubblewrap, a busybox base made offline): the lifecycle to an image
 * in the store, cancelling a RUN (no process left), the queue's limit and fairness, automatic builds from
 * commits and their coalescing, a restart under a running build, and a log of 100,000 lines kept bounded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEngineEvent, Build } from '../../../src-shared/contract';
import { ContentStore } from '../build/store/content-store';
import { buildBusyboxImage } from '../build/testing/busybox';
import { EventBus } from '../events/bus';
import { RepoService } from '../git/service';
import { haveTools } from '../../testing/tools';
import { BuildService } from './service';

const ACTOR = { id: 'tester', name: 'Tester' };

interface Setup {
  dir: string;
  bus: EventBus;
  repos: RepoService;
  store: ContentStore;
  builds: BuildService;
  events: AnyEngineEvent[];
}

async function setup(dir: string, settings = {}, store?: ContentStore): Promise<Setup> {
  const bus = new EventBus();
  const repos = new RepoService({ dataDir: dir, bus });
  const shared = store ?? (await ContentStore.open(join(dir, 'store')));
  if (!store) await buildBusyboxImage(shared);
  const builds = new BuildService({ dataDir: dir, bus, repos, store: shared, settings });
  const events: AnyEngineEvent[] = [];
  bus.subscribe((e) => void events.push(e));
  return { dir, bus, repos, store: shared, builds, events };
}

async function commitFiles(s: Setup, repoId: string, files: Record<string, string>, message = 'change') {
  const repo = s.repos.has(repoId)
    ? await s.repos.get(repoId)
    : await s.repos.create({ id: repoId, persist: true }, 'tester');
  for (const [path, content] of Object.entries(files)) await repo.writeFile(path, Buffer.from(content));
  return repo.commit({ message }, ACTOR);
}

async function until<T>(what: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function sleepPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() === 'sleep 4712';
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.runIf(haveTools('bwrap', 'busybox'))('build service', () => {
  let work: string;
  let s: Setup;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-builds-'));
    s = await setup(join(work, 'main'));
  });
  afterAll(async () => {
    await s.builds.close();
    // A repository's debounced state save may still land while the folder goes: retry as rm -rf would.
    await rm(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  const finished = (id: string) =>
    until(() => {
      const b = s.events.find(
        (e) => e.type.match(/^build\.(completed|failed|cancelled)$/) && (e.data as { id?: string }).id === id,
      );
      return b;
    });

  it('queues, runs and records a build from a commit, with a real image and cache hits the second time', async () => {
    await commitFiles(s, 'app', {
      Dockerfile: 'FROM busybox\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /copy.txt\n',
      'hello.txt': 'hello\n',
      '.dockerignore': 'secret\n',
      secret: 'no',
    });
    const first = await s.builds.create({ repo: 'app', dockerfile: 'Dockerfile', tags: ['app'] }, 'tester');
    expect(first.status).toMatch(/pending|running/);
    await finished(first.id);
    const done = await s.builds.get('app', first.id);
    expect(done).toMatchObject({ status: 'completed', tags: ['app:latest'], commit: (await s.repos.get('app')).head });
    expect(done.digest).toMatch(/^sha256:/);
    expect(s.store.resolve('app:latest')?.digest).toBe(done.digest);
    // #0 is the policy check every build starts with; the engine's steps follow.
    expect(done.steps.map((st) => [st.id, st.cached])).toEqual([
      ['#0', false],
      ['#1', true],
      ['#2', false],
      ['#3', false],
    ]);
    expect(done.steps[0]).toMatchObject({ stage: 'policy', status: 'completed' });
    expect(done.steps[2]!.layer_size).toBeGreaterThan(0);
    const types = s.events
      .filter(
        (e) =>
          (e.data as { id?: string; build?: string }).id === first.id ||
          (e.data as { build?: string }).build === first.id,
      )
      .map((e) => e.type);
    expect(types[0]).toBe('build.queued');
    expect(types).toContain('build.step.started');
    expect(types).toContain('build.step.completed');
    expect(types.at(-1)).toBe('build.completed');

    // The same tree again: every step cached; a changed file misses with its name and reason.
    const again = await s.builds.create({ repo: 'app', dockerfile: 'Dockerfile' }, 'tester');
    await finished(again.id);
    const engineSteps = (await s.builds.get('app', again.id)).steps.filter((st) => st.stage !== 'policy');
    expect(engineSteps.every((st) => st.cached)).toBe(true);
    await commitFiles(s, 'app', { 'hello.txt': 'changed\n', secret: 'ignored change' });
    const changed = await s.builds.create({ repo: 'app', dockerfile: 'Dockerfile' }, 'tester');
    await finished(changed.id);
    const record = await s.builds.get('app', changed.id);
    expect(record.steps[2]!.miss_reason).toContain('hello.txt changed');
    const diff = await s.builds.compare('app', again.id, changed.id);
    expect(diff.steps.map((st) => st.change)).toEqual(['same', 'same', 'changed', 'changed']);
    expect(diff.steps[2]!.miss_reason_b).toContain('hello.txt changed');
    expect(diff.same_image).toBe(false);
  });

  it('validates requests: a missing Dockerfile, an unknown repository, a ref that is not there', async () => {
    await expect(s.builds.create({ repo: 'app', dockerfile: 'nope/Dockerfile' }, 't')).rejects.toMatchObject({
      code: 'DOCKERFILE_NOT_FOUND',
      details: { path: 'nope/Dockerfile' },
    });
    await expect(s.builds.create({ repo: 'ghost', dockerfile: 'Dockerfile' }, 't')).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
    });
    await expect(
      s.builds.create({ repo: 'app', dockerfile: 'Dockerfile', ref: 'no-such-branch' }, 't'),
    ).rejects.toThrow();
    await expect(
      s.builds.create({ repo: 'app', dockerfile: 'Dockerfile', platform: ['linux/s390x'] }, 't'),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it("stops a build at its policy step when the repository's policy forbids the Dockerfile", async () => {
    await commitFiles(s, 'gated', {
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1030: error\n',
      Dockerfile: 'FROM busybox\nRUN sudo echo hi\n',
    });
    const blocked = await s.builds.create({ repo: 'gated', dockerfile: 'Dockerfile' }, 'tester');
    await finished(blocked.id);
    const record = await s.builds.get('gated', blocked.id);
    expect(record.status).toBe('failed');
    expect(record.steps.map((st) => [st.id, st.stage, st.status])).toEqual([['#0', 'policy', 'failed']]);
    const failure = s.events.find((e) => e.type === 'build.failed' && (e.data as { id: string }).id === blocked.id);
    expect(failure?.data).toMatchObject({ code: 'POLICY_BLOCKED', step: '#0' });
    expect((failure?.data as { message: string }).message).toMatch(/GV1030 at line 2/);
    const checked = s.events.find(
      (e) => e.type === 'policy.checked' && (e.data as { build: string }).build === blocked.id,
    );
    expect(checked).toMatchObject({ repo: 'gated', data: { blocked: true, blocking: [{ rule: 'GV1030', line: 2 }] } });

    // In warn mode the same finding is reported in the step's log and the build goes on.
    await commitFiles(s, 'gated', { '.govc/policy.yaml': 'version: 1\nmode: warn\nrules:\n  GV1030: error\n' });
    const warned = await s.builds.create({ repo: 'gated', dockerfile: 'Dockerfile' }, 'tester');
    await finished(warned.id);
    expect((await s.builds.get('gated', warned.id)).steps[0]).toMatchObject({ stage: 'policy', status: 'completed' });
  });

  it('checks the built image against image.maxSize and removes the tags of an image over it', async () => {
    await commitFiles(s, 'big', {
      '.govc/policy.yaml': 'version: 1\nimage:\n  maxSize: 100B\n',
      Dockerfile: 'FROM busybox\nCOPY payload /payload\n',
      payload: 'x'.repeat(4096),
    });
    const build = await s.builds.create({ repo: 'big', dockerfile: 'Dockerfile', tags: ['big:1'] }, 'tester');
    await finished(build.id);
    const record = await s.builds.get('big', build.id);
    expect(record.status).toBe('failed');
    expect(record.steps.at(-1)).toMatchObject({ stage: 'policy', text: 'POLICY image', status: 'failed' });
    expect(s.store.resolve('big:1')).toBeUndefined();
  });

  it('cancels a running RUN: the sleep process is gone and the build says cancelled', async () => {
    const before = new Set(sleepPids());
    // A duration no other test uses: test files run in parallel, and their sleeps must not count here.
    await commitFiles(s, 'slow', { Dockerfile: 'FROM busybox\nRUN echo started && sleep 4712\n' });
    const build = await s.builds.create({ repo: 'slow', dockerfile: 'Dockerfile', no_cache: true }, 'tester');
    await until(() => sleepPids().some((pid) => !before.has(pid)));
    const cancelled = await s.builds.cancel('slow', build.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.at(-1)!.status).toBe('cancelled');
    expect(sleepPids().filter((pid) => !before.has(pid))).toEqual([]);
    expect(s.events.some((e) => e.type === 'build.cancelled' && e.data.id === build.id)).toBe(true);
  });

  it('runs at most two at once and serves repositories in turn', async () => {
    const dockerfile = 'FROM busybox\nRUN sleep 0.3\n';
    await commitFiles(s, 'ra', { Dockerfile: dockerfile });
    await commitFiles(s, 'rb', { Dockerfile: dockerfile });
    const from = s.events.length;
    const ids: Record<string, string> = {};
    for (let i = 1; i <= 7; i++)
      ids[(await s.builds.create({ repo: 'ra', dockerfile: 'Dockerfile', no_cache: true }, 't')).id] = `A${i}`;
    for (let i = 1; i <= 3; i++)
      ids[(await s.builds.create({ repo: 'rb', dockerfile: 'Dockerfile', no_cache: true }, 't')).id] = `B${i}`;
    await until(() => s.events.slice(from).filter((e) => e.type === 'build.completed').length === 10, 60_000);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    for (const e of s.events.slice(from)) {
      if (e.type === 'build.started') {
        order.push(ids[e.data.id]!);
        most = Math.max(most, ++running);
      } else if (e.type === 'build.completed') running--;
    }
    expect(most).toBe(2);
    expect(order).toEqual(['A1', 'A2', 'B1', 'A3', 'B2', 'A4', 'B3', 'A5', 'A6', 'A7']);
  }, 90_000);

  it('builds automatically on a commit under .govc/triggers.yaml, and coalesces quick commits', async () => {
    await commitFiles(s, 'auto', { 'api/Dockerfile': 'FROM busybox\nCOPY . /src\n', 'api/main.txt': '0' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.builds.list('auto', { limit: 10, offset: 0 })).total).toBe(0); // no rules file: off

    await commitFiles(s, 'auto', {
      '.govc/triggers.yaml': 'branches: [main]\ntag: "{repo}:{branch}-{short_sha}"\n',
      'api/.dockerignore': '*.md\n',
    });
    const first = await until(() => s.events.find((e) => e.repo === 'auto' && e.type === 'build.queued'));
    const firstId = (first.data as { id: string }).id;
    await finished(firstId);

    // A change the context ignores builds nothing; three quick commits build once, the newest.
    await commitFiles(s, 'auto', { 'api/notes.md': 'ignored' });
    const hashes = [];
    for (let i = 1; i <= 3; i++) hashes.push((await commitFiles(s, 'auto', { 'api/main.txt': String(i) })).hash);
    await until(() => s.events.some((e) => e.repo === 'auto' && e.type === 'build.completed' && e.data.id !== firstId));
    const { builds } = await s.builds.list('auto', { limit: 10, offset: 0 });
    expect(builds).toHaveLength(2);
    const newest = builds[0]!;
    expect(newest).toMatchObject({
      status: 'completed',
      trigger: 'commit',
      commit: hashes[2],
      coalesced: hashes.slice(0, 2),
    });
    expect(newest.tags).toEqual([`auto:main-${hashes[2]!.slice(0, 7)}`]);
  }, 60_000);

  it('keeps 100,000 lines of output bounded, first and last lines with a marker between', async () => {
    await commitFiles(s, 'noisy', { Dockerfile: 'FROM busybox\nRUN seq 1 100000\n' });
    const build = await s.builds.create({ repo: 'noisy', dockerfile: 'Dockerfile', no_cache: true }, 't');
    await finished(build.id);
    const { log } = await s.builds.logs('noisy', build.id);
    const text = log.text();
    // 64 KiB of lines kept (32 KiB head, 32 KiB tail) and their `#2 ` prefixes, of ~1 MiB printed.
    expect(text.length).toBeLessThan(160 * 1024);
    expect(text).toContain('#2 1\n');
    expect(text).toContain('#2 100000\n');
    expect(text).toMatch(/#2 … \d+ lines omitted\n/);
    expect((await s.builds.get('noisy', build.id)).steps[2]!.log_lines).toBe(100_000);
    const streamed = s.events.filter((e) => e.type === 'build.step.log' && e.data.build === build.id);
    expect(streamed.length).toBeLessThan(200);
  }, 60_000);

  it('marks a build that was running when the engine stopped as failed, with the reason', async () => {
    await commitFiles(s, 'crash', { Dockerfile: 'FROM busybox\nRUN sleep 100\n' });
    const build = await s.builds.create({ repo: 'crash', dockerfile: 'Dockerfile', no_cache: true }, 't');
    await until(() =>
      s.events.some((e) => e.type === 'build.step.started' && e.data.build === build.id && e.data.position === 2),
    );
    const file = join(s.dir, 'builds', `${build.id}.json`);
    await until(() => (JSON.parse(readFileSync(file, 'utf8')) as Build).status === 'running');
    // A second engine on the same data folder, as after a crash: the record on disk says running.
    const after = new BuildService({ dataDir: s.dir, bus: new EventBus(), repos: s.repos, store: s.store });
    const record: Build = await after.get('crash', build.id);
    expect(record).toMatchObject({
      status: 'failed',
      error: { code: 'ENGINE_STOPPED', message: 'the engine stopped during the build' },
    });
    await after.close();
    await s.builds.cancel('crash', build.id);
    await finished(build.id);
  });
});
