/**
 * A build's record kept current from its events: `builds.get` gives the steps so far, and each build.*
 * event after it moves the record on, so a view that arrives mid-build draws the same timeline as one
 * that watched from the start. Pure functions: the store and the tests share them.
 */
import type { Build, BuildEvent, BuildStep } from '../bridge';

/** The record a `build.queued` event describes, for a build this window has not read yet (the CLI's, say). */
export function buildFromQueued(event: Extract<BuildEvent, { type: 'build.queued' }>): Build {
  const { data } = event;
  return {
    id: data.id,
    repo: event.repo ?? '',
    dockerfile: data.dockerfile,
    context: '',
    ref: data.ref,
    commit: data.commit,
    worktree: data.ref === 'worktree',
    trigger: data.trigger,
    coalesced: [],
    actor: event.actor,
    tags: [],
    args: {},
    labels: {},
    target: null,
    platform: [],
    no_cache: false,
    status: 'pending',
    error: null,
    queued_at: event.time,
    started_at: null,
    finished_at: null,
    duration_ms: null,
    digest: null,
    size: null,
    steps: [],
    cached_steps: 0,
  };
}

/** The build id an event is about (step events name it `build`, the others `id`). */
export function buildIdOf(event: BuildEvent): string {
  return 'build' in event.data ? event.data.build : event.data.id;
}

const withStep = (build: Build, id: string, change: (step: BuildStep) => BuildStep): Build => ({
  ...build,
  steps: build.steps.map((step) => (step.id === id ? change(step) : step)),
});

/** Steps still running when the build ended end with it. */
const endRunning = (steps: readonly BuildStep[], status: 'failed' | 'cancelled', time: string): BuildStep[] =>
  steps.map((step) => (step.status === 'running' ? { ...step, status, finished_at: time } : step));

/** The record after one of its events; events of other builds, or already applied, change nothing. */
export function applyBuildEvent(build: Build, event: BuildEvent): Build {
  if (buildIdOf(event) !== build.id) return build;
  switch (event.type) {
    case 'build.queued':
      return { ...build, commit: event.data.commit, status: build.status === 'pending' ? 'pending' : build.status };
    case 'build.started':
      return { ...build, status: 'running', started_at: build.started_at ?? event.time, commit: event.data.commit };
    case 'build.step.started': {
      if (build.steps.some((step) => step.id === event.data.step)) return build;
      const { step, stage, position, total, text } = event.data;
      const started: BuildStep = {
        id: step,
        stage,
        position,
        total,
        text,
        status: 'running',
        cached: false,
        miss_reason: null,
        started_at: event.time,
        finished_at: null,
        duration_ms: null,
        layer_size: null,
        layer_digest: null,
        log_lines: 0,
      };
      return {
        ...build,
        status: 'running',
        started_at: build.started_at ?? event.time,
        steps: [...build.steps, started],
      };
    }
    case 'build.step.log':
      return withStep(build, event.data.step, (step) => ({
        ...step,
        log_lines: step.log_lines + event.data.lines.length + event.data.omitted,
      }));
    case 'build.step.completed': {
      const { cached, miss_reason, duration_ms, layer_size, failed } = event.data;
      const next = withStep(build, event.data.step, (step) => ({
        ...step,
        status: failed ? 'failed' : 'completed',
        cached,
        miss_reason,
        duration_ms,
        layer_size,
        finished_at: event.time,
      }));
      return { ...next, cached_steps: next.steps.filter((step) => step.cached).length };
    }
    case 'build.completed':
      return {
        ...build,
        status: 'completed',
        digest: event.data.digest,
        size: event.data.size,
        tags: event.data.tags,
        duration_ms: event.data.duration_ms,
        cached_steps: event.data.cached_steps,
        finished_at: event.time,
      };
    case 'build.failed':
      return {
        ...build,
        status: 'failed',
        error: { code: event.data.code, message: event.data.message, step: event.data.step },
        steps: endRunning(build.steps, 'failed', event.time),
        finished_at: event.time,
      };
    case 'build.cancelled':
      return {
        ...build,
        status: 'cancelled',
        steps: endRunning(build.steps, 'cancelled', event.time),
        finished_at: event.time,
      };
  }
}

/** Share of steps served from the cache, 0–100, or null before any step ran. */
export function cachedPercent(build: Pick<Build, 'steps' | 'cached_steps'>): number | null {
  if (build.steps.length === 0) return null;
  return Math.round((build.cached_steps / build.steps.length) * 100);
}
