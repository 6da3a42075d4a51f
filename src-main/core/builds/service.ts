/**
 * The build service: requests become build records, wait in a queue fair across repositories, run a few
 * at a time (a setting, 2 by default) on the engine's build engine, and stay as records afterwards. Each
 * build is a task in the Podman Desktop sense: an id, a progress stream (`build.*` events), a terminal
 * event, a cancel token (its AbortController) and a replay buffer (the record's steps and bounded log).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Build, EventData, EventType } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import type { BuildEngine } from '../build/execute/build';
import { CacheIndex, type CacheStats, type PruneResult } from '../build/plan/cache-index';
import { NativeExecutor } from '../build/sandbox/native';
import type { Executor } from '../build/sandbox/executor';
import type { ContentStore } from '../build/store/content-store';
import type { EventBus } from '../events/bus';
import type { RepoService } from '../git/service';
import { compareBuilds } from './compare';
import { contextFolderOf, checkTree, treeOf, WORKTREE } from './context';
import { BuildLog, DEFAULT_LOG_LIMITS, type LogLimits } from './logs';
import { FairQueue } from './queue';
import { BuildRecords, markStopped, newBuildRecord } from './records';
import { EngineDetector } from '../engines/detect';
import { Engines } from '../engines/dispatch';
import { isHostPlatform } from '../engines/native-platforms';
import type { EnginesConfig } from '../engines/types';
import { normalizeTags, checkPlatforms, type BuildInput } from './request';
import { runBuild } from './run';
import { BuildSettingsFile, type BuildSettings } from './settings';
import type { PlannedBuild } from './triggers';
import { CommitTriggers } from './triggers-listener';

export interface BuildServiceOptions {
  dataDir: string;
  bus: EventBus;
  repos: RepoService;
  /** Where images and layers go: the engine's one store, shared with the registry. */
  store: ContentStore;
  logger?: Logger;
  executor?: Executor;
  /** Pulls a FROM image the store lacks (the registry client); without it, bases must be local. */
  resolveImage?: BuildEngine['resolveImage'];
  logLimits?: LogLimits;
  /** Defaults for settings not saved yet. */
  settings?: Partial<BuildSettings>;
  /** How external engines are started (binaries, storage, isolation); see docs/engines.md. */
  engines?: EnginesConfig;
  /** The PATH engines are looked up on (the process's by default). */
  enginePath?: string;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
  log: BuildLog;
  followers: Set<(step: string, line: string) => void>;
}

/** How long a cancel waits for the build to stop before answering with what it has. */
const CANCEL_WAIT_MS = 15_000;

export class BuildService {
  readonly store: ContentStore;
  /** The engines that can build here, and the choice and dispatch of each build. */
  readonly engines: Engines;
  private readonly engine: Promise<BuildEngine>;
  private readonly records: BuildRecords;
  private readonly builds = new Map<string, Build>();
  private readonly queue = new FairQueue<Build>();
  private readonly running = new Map<string, Running>();
  /** When an automatic build may start (commits arriving before then coalesce into it). */
  private readonly notBefore = new Map<string, number>();
  private readonly settingsFile: BuildSettingsFile;
  private readonly triggers: CommitTriggers;
  private readonly logLimits: LogLimits;
  private readonly ready: Promise<void>;
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly options: BuildServiceOptions) {
    const buildDir = join(options.dataDir, 'build');
    mkdirSync(buildDir, { recursive: true });
    this.records = new BuildRecords(join(options.dataDir, 'builds'), options.logger);
    this.settingsFile = new BuildSettingsFile(join(options.dataDir, 'builds', 'settings.json'), options.settings);
    this.logLimits = options.logLimits ?? DEFAULT_LOG_LIMITS;
    const store = options.store;
    this.store = store;
    const executor = options.executor ?? new NativeExecutor();
    this.engines = new Engines({
      detector: new EngineDetector({
        native: () => executor.availability(),
        ...(options.engines ? { config: options.engines } : {}),
        ...(options.enginePath === undefined ? {} : { path: options.enginePath }),
      }),
      ...(options.engines ? { config: options.engines } : {}),
      workDir: join(buildDir, 'external'),
    });
    const settingsFile = this.settingsFile;
    const settingsLoaded = settingsFile.load();
    this.engine = (async () => {
      const cache = await CacheIndex.open(join(buildDir, 'cache.json'));
      await settingsLoaded;
      cache.maxBytes = settingsFile.value.cache_max_bytes;
      // The store's GC must keep the layers the cache points at, or a cache hit would name a missing blob.
      store.addRoots(() => cache.layerDigests());
      return {
        store,
        cache,
        executor,
        dataDir: buildDir,
        ...(options.resolveImage ? { resolveImage: options.resolveImage } : {}),
      };
    })();
    const { records, builds } = this;
    this.ready = (async () => {
      await settingsLoaded;
      for (const build of await records.load()) builds.set(build.id, build);
    })();
    // Nothing awaits these until the first call; a failure then surfaces there, not as an unhandled rejection.
    this.ready.catch(() => undefined);
    this.engine.catch(() => undefined);
    this.triggers = new CommitTriggers({
      bus: options.bus,
      repos: options.repos,
      ...(options.logger ? { logger: options.logger } : {}),
      enqueue: (repo, planned, commit) => this.enqueueAutomatic(repo, planned, commit),
    });
  }

  async settings(): Promise<BuildSettings> {
    await this.ready;
    return this.settingsFile.value;
  }

  async updateSettings(change: Partial<BuildSettings>): Promise<BuildSettings> {
    await this.ready;
    const value = await this.settingsFile.update(change);
    (await this.engine).cache.maxBytes = value.cache_max_bytes;
    this.pump();
    return value;
  }

  async cacheStats(): Promise<CacheStats> {
    return (await this.engine).cache.stats();
  }

  /** Forgets cached steps (LRU first) down to `maxBytes` (0: all), saves, then lets the store free the blobs. */
  async pruneCache(maxBytes: number): Promise<PruneResult & { freed_blobs: number; cache: CacheStats }> {
    const { cache, store } = await this.engine;
    const result = cache.prune(maxBytes);
    await cache.save();
    const gc = await store.gc();
    return { ...result, freed_blobs: gc.removed.length, cache: cache.stats() };
  }

  /** Validates a request against the repository (ref, Dockerfile, context) and queues it. */
  async create(input: BuildInput, actor: string): Promise<Build> {
    await this.ready;
    if (this.stopping) throw new GovcError('UNAVAILABLE', 'The engine is stopping');
    const repo = await this.options.repos.get(input.repo);
    const worktree = input.ref === WORKTREE;
    const ref = input.ref ?? 'HEAD';
    const commit = worktree ? repo.head : await repo.history.resolve(ref);
    const dockerfile = input.dockerfile.replace(/^\/+/, '');
    const context = contextFolderOf(dockerfile, input.context);
    const tree = await treeOf(repo, { commit: worktree ? null : commit });
    checkTree(tree, dockerfile, context, ref);
    checkPlatforms(input.platform ?? []);
    const engine = input.engine ?? this.settingsFile.value.default_engine;
    // A foreign platform or an external engine can be refused now, with the reason, instead of queued to fail.
    if (engine !== 'native' && (engine !== 'auto' || !(input.platform ?? []).every(isHostPlatform))) {
      const text = (await tree.readBlob(tree.files.get(dockerfile)!.oid)).toString('utf8');
      await this.engines.select(engine, {
        dockerfile: text,
        platforms: input.platform ?? [],
        buildArgs: input.args ?? {},
        ...(input.target === undefined ? {} : { target: input.target }),
      });
    }
    const build = newBuildRecord(input.repo, actor, {
      dockerfile,
      context,
      ref,
      commit,
      worktree,
      trigger: 'manual',
      tags: normalizeTags(input.tags ?? []),
      args: input.args ?? {},
      labels: input.labels ?? {},
      target: input.target ?? null,
      platform: input.platform ?? [],
      no_cache: input.no_cache ?? false,
    });
    Object.assign(build, { engine, engine_used: null });
    await this.enqueue(build, null);
    return build;
  }

  async get(repo: string, id: string): Promise<Build> {
    await this.ready;
    const build = this.builds.get(id);
    if (!build || build.repo !== repo)
      throw new GovcError('BUILD_NOT_FOUND', `There is no build ${id} in ${repo}`, { repo, id });
    return build;
  }

  async list(
    repo: string,
    filter: { status?: Build['status']; dockerfile?: string; limit: number; offset: number },
  ): Promise<{ builds: Build[]; total: number }> {
    await this.ready;
    const dockerfile = filter.dockerfile?.replace(/^\/+/, '');
    const matching = [...this.builds.values()]
      .filter((b) => b.repo === repo)
      .filter((b) => filter.status === undefined || b.status === filter.status)
      .filter((b) => dockerfile === undefined || b.dockerfile === dockerfile)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    return { builds: matching.slice(filter.offset, filter.offset + filter.limit), total: matching.length };
  }

  /** The newest build that produced this image (manifest or index digest), in any repository. */
  async builtAs(digest: string): Promise<Build | undefined> {
    await this.ready;
    let newest: Build | undefined;
    for (const b of this.builds.values()) if (b.digest === digest && (!newest || b.id > newest.id)) newest = b;
    return newest;
  }

  /** Pending builds in the order they would start, after the running ones. */
  async active(): Promise<Build[]> {
    await this.ready;
    return [...[...this.running.keys()].map((id) => this.builds.get(id)!), ...this.queue.list()];
  }

  async compare(repo: string, id: string, other: string) {
    return compareBuilds(await this.get(repo, id), await this.get(repo, other));
  }

  async logs(repo: string, id: string): Promise<{ build: Build; log: BuildLog }> {
    const build = await this.get(repo, id);
    const log = this.running.get(id)?.log ?? (await this.records.readLog(id, this.logLimits));
    return { build, log: log ?? new BuildLog(this.logLimits) };
  }

  /**
   * The log so far and, while the build runs, every later line as it comes, with nothing lost or repeated
   * in between (both are taken in the same tick). `ended` settles when the build is over.
   */
  async follow(
    repo: string,
    id: string,
    onLine: (step: string, line: string) => void,
  ): Promise<{ text: string; ended: Promise<void>; stop(): void }> {
    if ((await this.get(repo, id)).status === 'pending') await this.leftQueue(id);
    const { log } = await this.logs(repo, id);
    const run = this.running.get(id);
    if (!run) return { text: log.text(), ended: Promise.resolve(), stop: () => undefined };
    run.followers.add(onLine);
    return { text: log.text(), ended: run.done, stop: () => run.followers.delete(onLine) };
  }

  /** Resolves when a pending build starts, or ends without starting (cancelled, or the engine stopped). */
  private leftQueue(id: string): Promise<void> {
    return new Promise((resolve) => {
      const subscription = this.options.bus.subscribe(
        () => {
          subscription.dispose();
          resolve();
        },
        {
          types: ['build.started', 'build.cancelled', 'build.failed'],
          filter: (event) => (event.data as { id?: string }).id === id,
        },
      );
    });
  }

  /** Cancels a pending build at once, a running one by aborting it (its RUN processes are killed). */
  async cancel(repo: string, id: string): Promise<Build> {
    const build = await this.get(repo, id);
    if (build.status === 'pending' && this.queue.remove(id)) {
      this.notBefore.delete(id);
      this.finish(build, 'cancelled');
      this.emit(build, 'build.cancelled', { id, step: null });
      return build;
    }
    const run = this.running.get(id);
    if (run) {
      run.controller.abort();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([run.done, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
      clearTimeout(timer);
    }
    return build;
  }

  /** Stops the queue: running builds are aborted and recorded as failed because the engine stopped. */
  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.triggers.close();
    clearTimeout(this.wakeTimer);
    await this.ready.catch(() => undefined);
    for (const build of this.queue.list()) {
      this.queue.remove(build.id);
      markStopped(build, new Date());
      void this.records.save(build);
      this.emit(build, 'build.failed', { id: build.id, ...build.error! });
    }
    const runs = [...this.running.values()];
    for (const run of runs) run.controller.abort();
    await Promise.all(runs.map((run) => run.done));
    await this.records.flush();
  }

  // --- queue ------------------------------------------------------------------------------------------------

  private async enqueue(build: Build, replaced: string | null): Promise<void> {
    this.builds.set(build.id, build);
    this.queue.push(build);
    await this.records.save(build);
    this.emit(build, 'build.queued', {
      id: build.id,
      dockerfile: build.dockerfile,
      ref: build.ref,
      commit: build.commit,
      trigger: build.trigger,
      replaced,
    });
    this.forgetOld(build.repo);
    this.pump();
  }

  /** A commit's automatic build: a pending one of the same Dockerfile takes the newer commit instead. */
  private async enqueueAutomatic(
    repo: string,
    planned: PlannedBuild,
    commit: { hash: string; branch: string },
  ): Promise<void> {
    await this.ready;
    if (this.stopping) return;
    const delay = this.settingsFile.value.auto_delay_ms;
    const pending = this.queue.find(
      (b) => b.repo === repo && b.trigger === 'commit' && b.dockerfile === planned.dockerfile,
    );
    if (pending) {
      const older = pending.commit;
      if (older !== null) pending.coalesced.push(older);
      Object.assign(pending, {
        commit: commit.hash,
        ref: commit.branch,
        context: planned.context,
        tags: normalizeTags(planned.tags),
        args: planned.args,
        target: planned.target ?? null,
      });
      this.notBefore.set(pending.id, Date.now() + delay);
      await this.records.save(pending);
      this.emit(pending, 'build.queued', {
        id: pending.id,
        dockerfile: pending.dockerfile,
        ref: pending.ref,
        commit: pending.commit,
        trigger: 'commit',
        replaced: older,
      });
      this.pump();
      return;
    }
    const build = newBuildRecord(repo, 'system', {
      dockerfile: planned.dockerfile,
      context: planned.context,
      ref: commit.branch,
      commit: commit.hash,
      worktree: false,
      trigger: 'commit',
      tags: normalizeTags(planned.tags),
      args: planned.args,
      labels: {},
      target: planned.target ?? null,
      platform: [],
      no_cache: false,
    });
    Object.assign(build, { engine: this.settingsFile.value.default_engine, engine_used: null });
    this.notBefore.set(build.id, Date.now() + delay);
    await this.enqueue(build, null);
  }

  /** Starts builds while there is room; wakes itself when a waiting automatic build becomes due. */
  private pump(): void {
    if (this.stopping) return;
    const now = Date.now();
    const due = (b: Build) => (this.notBefore.get(b.id) ?? 0) <= now;
    while (this.running.size < this.settingsFile.value.concurrency) {
      const next = this.queue.take(due);
      if (!next) break;
      this.notBefore.delete(next.id);
      this.start(next);
    }
    clearTimeout(this.wakeTimer);
    const waits = [...this.notBefore.values()].filter((t) => t > now);
    if (waits.length > 0 && this.running.size < this.settingsFile.value.concurrency) {
      this.wakeTimer = setTimeout(() => this.pump(), Math.min(...waits) - now + 5);
      this.wakeTimer.unref();
    }
  }

  private start(build: Build): void {
    const controller = new AbortController();
    const log = new BuildLog(this.logLimits);
    const followers = new Set<(step: string, line: string) => void>();
    build.status = 'running';
    build.started_at = new Date().toISOString();
    void this.records.save(build);
    this.emit(build, 'build.started', { id: build.id, dockerfile: build.dockerfile, commit: build.commit });
    const done = this.execute(build, log, controller.signal, followers).finally(() => {
      this.running.delete(build.id);
      this.pump();
    });
    this.running.set(build.id, { controller, done, log, followers });
  }

  private async execute(
    build: Build,
    log: BuildLog,
    signal: AbortSignal,
    followers: Set<(step: string, line: string) => void>,
  ): Promise<void> {
    try {
      const repo = await this.options.repos.get(build.repo);
      const tree = await treeOf(repo, { commit: build.worktree ? null : build.commit });
      await runBuild(
        await this.engine,
        build,
        tree,
        log,
        signal,
        {
          emit: (type, data) => this.emit(build, type, data),
          changed: () => void this.records.save(build),
          line: (step, line) => followers.forEach((f) => f(step, line)),
        },
        this.engines,
      );
      this.finish(build, 'completed');
      this.emit(build, 'build.completed', {
        id: build.id,
        digest: build.digest!,
        size: build.size!,
        tags: build.tags,
        duration_ms: build.duration_ms!,
        steps: build.steps.length,
        cached_steps: build.cached_steps,
      });
    } catch (err) {
      const error = GovcError.from(err);
      const step = (err as { step?: string | null }).step ?? null;
      if (this.stopping) {
        markStopped(build, new Date());
        this.emit(build, 'build.failed', { id: build.id, ...build.error! });
      } else if (signal.aborted) {
        this.finish(build, 'cancelled');
        this.emit(build, 'build.cancelled', { id: build.id, step });
      } else {
        build.error = { code: error.code, message: error.message, step };
        this.finish(build, 'failed');
        this.emit(build, 'build.failed', { id: build.id, code: error.code, message: error.message, step });
      }
    } finally {
      await Promise.all([this.records.save(build), this.records.saveLog(build.id, log)]);
    }
  }

  private finish(build: Build, status: 'completed' | 'failed' | 'cancelled'): void {
    const now = new Date();
    build.status = status;
    build.finished_at = now.toISOString();
    build.duration_ms = build.started_at === null ? 0 : now.getTime() - Date.parse(build.started_at);
    void this.records.save(build);
  }

  private forgetOld(repo: string): void {
    for (const old of this.records.overLimit(this.builds.values(), repo)) {
      this.builds.delete(old.id);
      void this.records.remove(old.id);
    }
  }

  private emit<T extends EventType>(build: Build, type: T, data: EventData<T>): void {
    this.options.bus.emit(type, data, { repo: build.repo, actor: build.actor });
  }
}
