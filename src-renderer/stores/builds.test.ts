import { describe, expect, it } from 'vitest';
import type { Build } from '../bridge';
import { compareModel } from './build-compare';
import { createBuildsStore } from './builds';
import { EngineRefusal, fakeEngine } from './fake-engine.test-kit';

const pending: Build = {
  id: 'b00000001',
  repo: 'shop',
  dockerfile: 'Dockerfile',
  context: '',
  ref: 'HEAD',
  commit: 'c1',
  worktree: false,
  trigger: 'manual',
  coalesced: [],
  actor: 'admin',
  tags: ['shop:dev'],
  args: { A: '1' },
  labels: {},
  target: null,
  platform: [],
  no_cache: false,
  status: 'pending',
  error: null,
  queued_at: '2026-01-01T00:00:00.000Z',
  started_at: null,
  finished_at: null,
  duration_ms: null,
  digest: null,
  size: null,
  steps: [],
  cached_steps: 0,
};
const running: Build = {
  ...pending,
  status: 'running',
  started_at: pending.queued_at,
  steps: [
    {
      id: '#1',
      stage: 'stage-0',
      position: 1,
      total: 2,
      text: 'FROM scratch',
      status: 'completed',
      cached: true,
      miss_reason: null,
      started_at: pending.queued_at,
      finished_at: pending.queued_at,
      duration_ms: 0,
      layer_size: null,
      layer_digest: null,
      log_lines: 0,
    },
  ],
};

function setup(handlers: Record<string, (input: Record<string, unknown>) => unknown> = {}) {
  const engine = fakeEngine({
    'builds.create': () => pending,
    'builds.list': () => ({ builds: [], count: 0, total: 0 }),
    ...handlers,
  });
  const finished: string[] = [];
  const store = createBuildsStore(engine.link, { onFinished: (b) => finished.push(`${b.id}:${b.status}`) });
  engine.link.onEvent((event) => store.getState().handle(event));
  return { engine, store, finished };
}

describe('builds store', () => {
  it('starts a build, shows it, follows its events to the end and raises one toast', async () => {
    const { engine, store, finished } = setup();
    const build = await store.getState().start({ repo: 'shop', dockerfile: 'Dockerfile' });
    expect(build?.id).toBe(pending.id);
    expect(store.getState().shown).toBe(pending.id);

    engine.emit('build.started', { id: pending.id, dockerfile: 'Dockerfile', commit: 'c1' }, 'shop');
    engine.emit(
      'build.step.started',
      { build: pending.id, step: '#1', stage: 's', position: 1, total: 1, text: 'COPY a /' },
      'shop',
    );
    engine.emit('build.step.log', { build: pending.id, step: '#1', lines: ['hello'], omitted: 0 }, 'shop');
    engine.emit(
      'build.step.completed',
      {
        build: pending.id,
        step: '#1',
        cached: false,
        miss_reason: 'a changed',
        duration_ms: 5,
        layer_size: 9,
        failed: false,
      },
      'shop',
    );
    engine.emit(
      'build.completed',
      { id: pending.id, digest: 'sha256:d', size: 9, tags: [], duration_ms: 5, steps: 1, cached_steps: 0 },
      'shop',
    );
    engine.emit(
      'build.completed',
      { id: pending.id, digest: 'sha256:d', size: 9, tags: [], duration_ms: 5, steps: 1, cached_steps: 0 },
      'shop',
    );

    const shown = store.getState().byId[pending.id]!;
    expect(shown.status).toBe('completed');
    expect(shown.steps[0]).toMatchObject({ miss_reason: 'a changed', layer_size: 9 });
    expect(store.getState().logsOf(pending.id).lines).toEqual([{ step: '#1', text: 'hello' }]);
    expect(finished).toEqual([`${pending.id}:completed`]);
    expect(store.getState().toasts.map((t) => t.id)).toEqual([pending.id]);
    // Followed from its start: no need to read the record or the log back.
    expect(engine.names()).not.toContain('builds.get');
  });

  it('shows a build already running: its record and log so far, then the events that came meanwhile', async () => {
    let release: () => void = () => undefined;
    const { engine, store } = setup({
      'builds.get': () => new Promise((resolve) => (release = () => resolve(running))),
      'builds.logs': () => ({
        id: running.id,
        status: 'running',
        steps: [{ id: '#1', lines: ['a', 'b'], omitted: 3 }],
      }),
    });
    const showing = store.getState().show('shop', running.id);
    engine.emit(
      'build.step.started',
      { build: running.id, step: '#2', stage: 'stage-0', position: 2, total: 2, text: 'COPY x /' },
      'shop',
    );
    release();
    await showing;
    const build = store.getState().byId[running.id]!;
    expect(build.steps.map((s) => [s.id, s.status])).toEqual([
      ['#1', 'completed'],
      ['#2', 'running'],
    ]);
    expect(
      store
        .getState()
        .logsOf(running.id)
        .lines.map((l) => l.text),
    ).toEqual(['a', 'b', expect.stringContaining('3 lines omitted')]);
  });

  it('cancels, and rebuilds with the same request', async () => {
    const { engine, store, finished } = setup({
      'builds.get': () => running,
      'builds.logs': () => ({ id: running.id, status: 'running', steps: [] }),
      'builds.cancel': () => ({ ...running, status: 'cancelled' }),
    });
    await store.getState().show('shop', running.id);
    await store.getState().cancel(running.id);
    expect(store.getState().byId[running.id]?.status).toBe('cancelled');
    expect(finished).toEqual([`${running.id}:cancelled`]);

    await store.getState().rebuild(running.id);
    expect(engine.calls.at(-1)).toEqual({
      name: 'builds.create',
      input: {
        repo: 'shop',
        dockerfile: 'Dockerfile',
        context: '',
        ref: 'HEAD',
        tags: ['shop:dev'],
        args: { A: '1' },
        labels: {},
        no_cache: false,
      },
    });
  });

  it('says why a build could not start', async () => {
    const { store } = setup({
      'builds.create': () => {
        throw new EngineRefusal('DOCKERFILE_NOT_FOUND', 'No Dockerfile at nope');
      },
    });
    expect(await store.getState().start({ repo: 'shop', dockerfile: 'nope' })).toBeUndefined();
    expect(store.getState().problem).toBe(
      'Could not start the build of nope: No Dockerfile at nope (DOCKERFILE_NOT_FOUND)',
    );
  });

  it('compares two builds into rows a person can read', async () => {
    const { store } = setup({
      'builds.compare': () => ({
        a: 'b1',
        b: 'b2',
        commits: { a: 'c1', b: 'c2' },
        steps: [
          {
            stage: 's',
            text: 'FROM scratch',
            a: '#1',
            b: '#1',
            change: 'same',
            cached_a: true,
            cached_b: true,
            miss_reason_b: null,
            duration_ms_delta: 0,
            layer_size_delta: null,
          },
          {
            stage: 's',
            text: 'COPY a /',
            a: '#2',
            b: '#2',
            change: 'changed',
            cached_a: false,
            cached_b: false,
            miss_reason_b: 'a changed',
            duration_ms_delta: 1200,
            layer_size_delta: -2000,
          },
          {
            stage: 's',
            text: 'ENV B=2',
            a: null,
            b: '#3',
            change: 'added',
            cached_a: null,
            cached_b: false,
            miss_reason_b: 'new step',
            duration_ms_delta: null,
            layer_size_delta: null,
          },
        ],
        duration_ms_delta: 1200,
        size_delta: -2000,
        same_image: false,
      }),
    });
    await store.getState().compare('shop', 'b1', 'b2');
    const model = compareModel(store.getState().comparison!.result!);
    expect(model.rows.map((r) => [r.change, r.inA, r.inB, r.why, r.duration, r.size])).toEqual([
      ['same', 'cached', 'cached', null, '±0s', '–'],
      ['changed', 'built', 'built', 'a changed', '+1.2s', '−2.0 KB'],
      ['added', '–', 'built', 'new step', '–', '–'],
    ]);
    expect(model.headline).toBe('2 of 3 steps differ; different images; time +1.2s, size −2.0 KB');
  });
});

describe('events that outrun the create answer', () => {
  it('keep what they told when the pending answer arrives last', async () => {
    let answer: (build: Build) => void = () => undefined;
    const { engine, store } = setup({ 'builds.create': () => new Promise((resolve) => (answer = resolve)) });
    const starting = store.getState().start({ repo: 'shop', dockerfile: 'Dockerfile' });
    const id = pending.id;
    engine.emit(
      'build.queued',
      { id, dockerfile: 'Dockerfile', ref: 'HEAD', commit: 'c1', trigger: 'manual', replaced: null },
      'shop',
    );
    engine.emit(
      'build.step.started',
      { build: id, step: '#1', stage: 's', position: 1, total: 1, text: 'FROM scratch' },
      'shop',
    );
    engine.emit(
      'build.step.completed',
      { build: id, step: '#1', cached: true, miss_reason: null, duration_ms: 0, layer_size: null, failed: false },
      'shop',
    );
    engine.emit(
      'build.completed',
      { id, digest: 'sha256:d', size: 9, tags: [], duration_ms: 5, steps: 1, cached_steps: 1 },
      'shop',
    );
    answer(pending);
    await starting;
    expect(store.getState().byId[id]).toMatchObject({
      status: 'completed',
      cached_steps: 1,
      digest: 'sha256:d',
      tags: ['shop:dev'],
    });
  });
});

describe('builds store: running builds and commit-and-build', () => {
  const queued = (id: string) => ({
    id,
    dockerfile: 'Dockerfile',
    ref: 'HEAD',
    commit: 'c1',
    trigger: 'manual',
    replaced: null,
  });

  it('counts pending and running builds from builds.active, then from events', async () => {
    const { engine, store } = setup({ 'builds.active': () => ({ builds: [running], running: 1, pending: 0 }) });
    await store.getState().loadActive();
    expect(store.getState().active).toEqual({ [running.id]: 'running' });

    engine.emit('build.queued', queued('b00000002'), 'shop');
    expect(store.getState().active).toEqual({ [running.id]: 'running', b00000002: 'pending' });
    engine.emit('build.started', { id: 'b00000002', dockerfile: 'Dockerfile', commit: 'c1' }, 'shop');
    engine.emit('build.completed', { id: running.id, digest: 'sha256:x', size: 1, duration_ms: 5, cached_steps: 1 });
    expect(store.getState().active).toEqual({ b00000002: 'running' });
    engine.emit('build.cancelled', { id: 'b00000002', step: null }, 'shop');
    expect(store.getState().active).toEqual({});
  });

  it('lets events that arrive while builds.active is in flight win over its older answer', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const { engine, store } = setup({ 'builds.active': () => new Promise((resolve) => (answer = resolve)) });
    const loading = store.getState().loadActive();
    await Promise.resolve();
    engine.emit('build.completed', { id: running.id, digest: 'sha256:x', size: 1, duration_ms: 5, cached_steps: 1 });
    engine.emit('build.queued', queued('b00000003'), 'shop');
    answer({ builds: [running], running: 1, pending: 0 });
    await loading;
    expect(store.getState().active).toEqual({ b00000003: 'pending' });
  });

  it('builds a Dockerfile at a new commit with its last build request, or the defaults', async () => {
    const last = { ...pending, id: 'b00000009', ref: 'main', tags: ['shop:v2'], args: { A: '2' }, no_cache: true };
    let history: Build[] = [];
    const { engine, store } = setup({ 'builds.list': () => ({ builds: history, count: history.length, total: 1 }) });

    await store.getState().startAt('shop', 'Dockerfile', 'abc123');
    expect(engine.calls.at(-1)).toEqual({
      name: 'builds.create',
      input: { repo: 'shop', dockerfile: 'Dockerfile', ref: 'abc123' },
    });

    history = [last];
    const build = await store.getState().startAt('shop', 'Dockerfile', 'def456');
    expect(build?.id).toBe(pending.id);
    expect(store.getState().shown).toBe(pending.id);
    expect(engine.calls.find((c) => c.name === 'builds.list')?.input).toMatchObject({ dockerfile: 'Dockerfile' });
    expect(engine.calls.at(-1)?.input).toMatchObject({
      ref: 'def456',
      tags: ['shop:v2'],
      args: { A: '2' },
      no_cache: true,
    });
  });
});
