/**
 * One build, run: its repository context written out, the engine's build with its progress turned into
 * the record's steps, the bounded log and the live `build.step.*` events (log lines batched).
 */
import type { Build, BuildStep, EventData, EventType } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import { buildImage, type BuildEngine } from '../build/execute/build';
import type { BuildEvent } from '../build/execute/events';
import type { CacheEntry, CacheIndex } from '../build/plan/cache-index';
import type { GitTree } from '../build/context/git-source';
import type { Engines } from '../engines/dispatch';
import { prepareContext } from './context';
import { countBySeverity } from '../policy';
import { runImagePolicyStep, runPolicyStep } from './policy-gate';
import { LineSplitter, type BuildLog } from './logs';

export type BuildEmitter = <T extends EventType>(type: T, data: EventData<T>) => void;

export interface RunHooks {
  emit: BuildEmitter;
  /** The record changed in a way worth saving (a step finished). */
  changed(): void;
  /** Every output line as it comes, before bounding: for log followers. */
  line(step: string, line: string): void;
}

/** Live log batches: at most this often per build, and the latest lines of a step past its kept head. */
const FLUSH_MS = 200;
const LIVE_TAIL_LINES = 20;

export async function runBuild(
  engine: BuildEngine,
  build: Build,
  tree: GitTree,
  log: BuildLog,
  signal: AbortSignal,
  hooks: RunHooks,
  /** Engine choice and dispatch; without it the native engine builds the host's platform. */
  engines?: Engines,
): Promise<void> {
  const context = await prepareContext(tree, build.dockerfile, build.context, build.ref);
  const steps = new Map<number, BuildStep>();
  const splitter = new LineSplitter();
  const live = new LiveLog(build.id, hooks.emit);
  let layerSeen: CacheEntry['layer'];
  let lastStep: string | null = null;

  const onLine = (step: BuildStep) => (line: string) => {
    step.log_lines++;
    hooks.line(step.id, line);
    live.add(step.id, line, log.add(step.id, line));
  };
  const finish = (step: BuildStep, status: BuildStep['status']): void => {
    splitter.flush(step.id, onLine(step));
    live.flush();
    const now = new Date();
    step.status = status;
    step.finished_at = now.toISOString();
    step.duration_ms = now.getTime() - Date.parse(step.started_at);
    // External engines do not say which layer a step made: their steps' layers stay unknown (null).
    if (status === 'completed' && step.position > 1 && (build.engine_used ?? 'native') === 'native') {
      step.layer_size = layerSeen?.size ?? 0;
      step.layer_digest = layerSeen?.digest ?? null;
    }
    if (step.cached) build.cached_steps++;
    hooks.emit('build.step.completed', {
      build: build.id,
      step: step.id,
      cached: step.cached,
      miss_reason: step.miss_reason,
      duration_ms: step.duration_ms,
      layer_size: step.layer_size,
      failed: status !== 'completed',
    });
    hooks.changed();
  };

  let lastEventId = 0;
  const onEvent = (event: BuildEvent): void => {
    if (event.type === 'step') {
      lastEventId = Math.max(lastEventId, event.id);
      layerSeen = undefined;
      const step: BuildStep = {
        id: `#${event.id}`,
        stage: event.stage,
        position: event.position,
        total: event.total,
        text: event.text,
        status: 'running',
        cached: event.position === 1, // FROM resolves a base, it builds nothing: BuildKit shows it CACHED
        miss_reason: null,
        started_at: new Date().toISOString(),
        finished_at: null,
        duration_ms: null,
        layer_size: null,
        layer_digest: null,
        log_lines: 0,
      };
      steps.set(event.id, step);
      build.steps.push(step);
      lastStep = step.id;
      const { id: _id, type: _type, ...rest } = event;
      hooks.emit('build.step.started', { build: build.id, step: step.id, ...rest });
      return;
    }
    if (event.type === 'image' || event.type === 'export') return;
    const step = steps.get(event.id);
    if (!step) return;
    switch (event.type) {
      case 'cached':
        step.cached = true;
        return finish(step, 'completed');
      case 'miss':
        step.miss_reason = event.reason;
        return;
      case 'output':
        return splitter.push(step.id, event.text, onLine(step));
      case 'done':
        return finish(step, 'completed');
      case 'failed':
        return finish(step, signal.aborted ? 'cancelled' : 'failed');
    }
  };

  try {
    const policy = await runPolicyStep(tree, build.dockerfile, context.dockerfileText, onEvent, (check) =>
      hooks.emit('policy.checked', {
        build: build.id,
        dockerfile: build.dockerfile,
        blocked: check.blocked,
        counts: countBySeverity(check.findings),
        blocking: check.blocking.map((f) => ({ rule: f.ruleId, line: f.range.start.line, message: f.message })),
      }),
    );
    const observed = { ...engine, cache: observeLayers(engine.cache, (layer) => (layerSeen = layer)) };
    const request = {
      contextDir: context.root,
      dockerfile: context.dockerfileText,
      dockerfileName: build.dockerfile,
      buildArgs: build.args,
      labels: build.labels,
      tags: build.tags,
      noCache: build.no_cache,
      ...(build.target === null ? {} : { target: build.target }),
      signal,
      onEvent,
    };
    if (engines) {
      const dispatch = { ...request, platforms: build.platform, buildId: build.id };
      build.engine_used = await engines.select(build.engine ?? 'auto', dispatch);
      hooks.changed();
      const result = await engines.build(build.engine_used, observed, dispatch);
      build.digest = result.digest;
      build.size = result.size;
    } else {
      const result = await buildImage(observed, request);
      const manifest = result.image.manifest;
      build.digest = result.digest;
      build.size =
        result.image.descriptor.size + manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
    }
    try {
      await runImagePolicyStep(
        lastEventId + 1,
        policy,
        {
          store: engine.store,
          digest: build.digest,
          size: build.size,
          dockerfile: { path: build.dockerfile, text: context.dockerfileText },
          args: build.args,
          target: build.target,
        },
        onEvent,
      );
    } catch (blocked) {
      // The engine tagged the image already: a blocked image must not stay under the names asked for.
      for (const tag of build.tags) await engine.store.untag(tag);
      throw blocked;
    }
  } catch (err) {
    const error = GovcError.from(err);
    throw Object.assign(error, { step: lastStep });
  } finally {
    live.flush();
    live.close();
    await context.dispose();
  }
}

/**
 * The engine reports steps but not the layer each produced; its cache is told both (a hit is a `get`, a
 * built layer a `record`, each just before the step's `cached`/`done` event, steps running one at a
 * time), so a view of the cache that notes the layer gives each step its layer without touching the engine.
 */
function observeLayers(cache: CacheIndex, seen: (layer: CacheEntry['layer']) => void): CacheIndex {
  return new Proxy(cache, {
    get(target, property) {
      if (property === 'get')
        return (key: string) => {
          const entry = target.get(key);
          seen(entry?.layer);
          return entry;
        };
      if (property === 'record')
        return (entry: Omit<CacheEntry, 'usedAt'>) => {
          target.record(entry);
          if (entry.layer) seen(entry.layer);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Batches lines into `build.step.log` events; past a step's kept head only the latest few are sent. */
class LiveLog {
  private readonly pending = new Map<string, { head: string[]; tail: string[]; omitted: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly build: string,
    private readonly emit: BuildEmitter,
  ) {}

  add(step: string, line: string, kept: 'head' | 'tail'): void {
    let batch = this.pending.get(step);
    if (!batch) this.pending.set(step, (batch = { head: [], tail: [], omitted: 0 }));
    if (kept === 'head') batch.head.push(line);
    else if (batch.tail.push(line) > LIVE_TAIL_LINES) {
      batch.tail.shift();
      batch.omitted++;
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [step, { head, tail, omitted }] of this.pending) {
      this.emit('build.step.log', { build: this.build, step, lines: [...head, ...tail], omitted });
    }
    this.pending.clear();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
