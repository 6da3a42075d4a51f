import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../bridge';
import { applyBuildEvent, buildFromQueued, cachedPercent } from './build-timeline';
import { formatBytes, formatDuration, timelineOf } from './build-timeline-model';

let seq = 0;
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
function event(type: BuildEvent['type'], data: object, second = 0): BuildEvent {
  seq += 1;
  return { id: String(seq), seq, type, repo: 'shop', time: at(second), actor: 'admin', data } as BuildEvent;
}
const step = (id: string, stage: string, text: string, second: number) =>
  event('build.step.started', { build: 'b1', step: id, stage, position: 1, total: 3, text }, second);
const done = (id: string, second: number, extra: object = {}) =>
  event(
    'build.step.completed',
    {
      build: 'b1',
      step: id,
      cached: false,
      miss_reason: null,
      duration_ms: 1000,
      layer_size: 100,
      failed: false,
      ...extra,
    },
    second,
  );

const queued = event('build.queued', {
  id: 'b1',
  dockerfile: 'Dockerfile',
  ref: 'HEAD',
  commit: 'c1',
  trigger: 'manual',
  replaced: null,
}) as Extract<BuildEvent, { type: 'build.queued' }>;

function assemble(events: BuildEvent[]) {
  return events.reduce(applyBuildEvent, buildFromQueued(queued));
}

describe('a build assembled from its events', () => {
  it('goes from pending to completed with each step, its cache hit or miss reason, duration and layer', () => {
    const build = assemble([
      event('build.started', { id: 'b1', dockerfile: 'Dockerfile', commit: 'c1' }, 0),
      step('#1', 'stage-0', 'FROM scratch', 0),
      done('#1', 0, { cached: true, duration_ms: 0, layer_size: null }),
      step('#2', 'stage-0', 'COPY a /', 0),
      done('#2', 1, { miss_reason: 'COPY a /: a changed' }),
      event('build.completed', {
        id: 'b1',
        digest: 'sha256:x',
        size: 500,
        tags: ['a:latest'],
        duration_ms: 1000,
        steps: 2,
        cached_steps: 1,
      }),
    ]);
    expect(build.status).toBe('completed');
    expect(build.steps.map((s) => [s.id, s.status, s.cached, s.miss_reason])).toEqual([
      ['#1', 'completed', true, null],
      ['#2', 'completed', false, 'COPY a /: a changed'],
    ]);
    expect(build.digest).toBe('sha256:x');
    expect(cachedPercent(build)).toBe(50);
  });

  it('ignores a repeated step start and events of other builds', () => {
    const once = assemble([step('#1', 's', 'FROM scratch', 0)]);
    const twice = applyBuildEvent(once, step('#1', 's', 'FROM scratch', 0));
    expect(twice).toBe(once);
    const other = event('build.started', { id: 'b2', dockerfile: 'D', commit: null });
    expect(applyBuildEvent(once, other)).toBe(once);
  });

  it('ends the running step with the build when it is cancelled or fails', () => {
    const cancelled = assemble([
      step('#1', 's', 'RUN sleep 100', 0),
      event('build.cancelled', { id: 'b1', step: '#1' }),
    ]);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps[0]?.status).toBe('cancelled');
    const failed = assemble([
      step('#1', 's', 'RUN false', 0),
      event('build.failed', { id: 'b1', code: 'RUN_FAILED', message: 'exit 1', step: '#1' }),
    ]);
    expect(failed.error).toEqual({ code: 'RUN_FAILED', message: 'exit 1', step: '#1' });
    expect(failed.steps[0]?.status).toBe('failed');
  });

  it('counts log lines, omitted ones included', () => {
    const build = assemble([
      step('#1', 's', 'RUN seq', 0),
      event('build.step.log', { build: 'b1', step: '#1', lines: ['1', '2'], omitted: 10 }),
    ]);
    expect(build.steps[0]?.log_lines).toBe(12);
  });
});

describe('the timeline', () => {
  it('places steps and stages on one time axis, so parallel stages overlap', () => {
    const build = assemble([
      event('build.started', { id: 'b1', dockerfile: 'Dockerfile', commit: 'c1' }, 0),
      step('#1', 'deps', 'FROM scratch', 0),
      step('#2', 'assets', 'FROM scratch', 0),
      done('#1', 4, { duration_ms: 4000 }),
      done('#2', 2, { duration_ms: 2000 }),
      step('#3', 'final', 'COPY --from=deps', 4),
      done('#3', 8, { duration_ms: 4000 }),
      event(
        'build.completed',
        { id: 'b1', digest: 'sha256:x', size: 1, tags: [], duration_ms: 8000, steps: 3, cached_steps: 0 },
        8,
      ),
    ]);
    const { spanMs, stages } = timelineOf(build, Date.parse(at(60)));
    expect(spanMs).toBe(8000);
    expect(stages.map((s) => [s.name, s.left, s.width])).toEqual([
      ['deps', 0, 0.5],
      ['assets', 0, 0.25],
      ['final', 0.5, 0.5],
    ]);
  });

  it('grows the running step with the clock and keeps instant steps visible', () => {
    const build = assemble([
      event('build.started', { id: 'b1', dockerfile: 'Dockerfile', commit: 'c1' }, 0),
      step('#1', 's', 'FROM scratch', 0),
      done('#1', 0, { cached: true, duration_ms: 0 }),
      step('#2', 's', 'RUN make', 0),
    ]);
    const [stage] = timelineOf(build, Date.parse(at(10))).stages;
    expect(stage?.running).toBe(true);
    expect(stage?.steps[0]?.width).toBeGreaterThan(0);
    expect(stage?.steps[1]).toMatchObject({ left: 0, width: 1, elapsedMs: 10_000 });
  });
});

describe('formatting', () => {
  it('writes durations and sizes as people read them', () => {
    expect(formatDuration(340)).toBe('0.3s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatBytes(187)).toBe('187 B');
    expect(formatBytes(4200)).toBe('4.2 KB');
    expect(formatBytes(null)).toBe('–');
  });
});
