/**
 * Build records on disk: `<dataDir>/builds/<id>.json` (the build) and `<id>.log.json` (its bounded log),
 * each written atomically, and in order per build (a later state never loses to an earlier write that
 * finished after it). Loading marks builds a stopped engine left unfinished as failed, with the reason.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Build } from '../../../src-shared/contract';
import { writeFileAtomic } from '../build/store/atomic';
import { BuildLog, type LogLimits, type SavedLog } from './logs';

export const ENGINE_STOPPED_RUNNING = 'the engine stopped during the build';
export const ENGINE_STOPPED_PENDING = 'the engine stopped before the build started';

/** Records kept per repository; older finished ones are deleted. */
const MAX_PER_REPO = 1000;

export function newBuildId(now = Date.now()): string {
  // Time first (fixed width, base 36), so ids sort in the order builds were queued.
  return `b${now.toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
}

/** The fields a request decides; the rest start as a pending build's. */
export type BuildRequestFields = Omit<
  Build,
  | 'id'
  | 'repo'
  | 'actor'
  | 'coalesced'
  | 'status'
  | 'error'
  | 'queued_at'
  | 'started_at'
  | 'finished_at'
  | 'duration_ms'
  | 'digest'
  | 'size'
  | 'steps'
  | 'cached_steps'
>;

export function newBuildRecord(repo: string, actor: string, fields: BuildRequestFields): Build {
  return {
    id: newBuildId(),
    repo,
    actor,
    coalesced: [],
    ...fields,
    status: 'pending',
    error: null,
    queued_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    duration_ms: null,
    digest: null,
    size: null,
    steps: [],
    cached_steps: 0,
  };
}

export class BuildRecords {
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly logger?: Logger,
  ) {}

  /** Every record, oldest first; unfinished ones come back failed (and are saved so). */
  async load(): Promise<Build[]> {
    await mkdir(this.dir, { recursive: true });
    const builds: Build[] = [];
    for (const name of (await readdir(this.dir)).sort()) {
      if (name.startsWith('.tmp-')) {
        await rm(join(this.dir, name), { force: true });
        continue;
      }
      if (!/^b[0-9a-z]+\.json$/.test(name)) continue;
      try {
        const build = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Build;
        if (build.status === 'running' || build.status === 'pending') {
          markStopped(build, new Date());
          await this.save(build);
        }
        builds.push(build);
      } catch (err) {
        this.logger?.warn({ err, file: name }, 'unreadable build record; skipped');
      }
    }
    return builds;
  }

  save(build: Build): Promise<void> {
    return this.write(build.id, `${build.id}.json`, JSON.stringify(build, null, 1));
  }

  saveLog(id: string, log: BuildLog): Promise<void> {
    return this.write(`${id}.log`, `${id}.log.json`, JSON.stringify(log.toJSON()));
  }

  async readLog(id: string, limits?: LogLimits): Promise<BuildLog | undefined> {
    await this.writes.get(`${id}.log`);
    const text = await readFile(join(this.dir, `${id}.log.json`), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return BuildLog.fromJSON(JSON.parse(text) as SavedLog, limits);
    } catch {
      return undefined;
    }
  }

  async remove(id: string): Promise<void> {
    await Promise.all([this.writes.get(id), this.writes.get(`${id}.log`)]);
    await rm(join(this.dir, `${id}.json`), { force: true });
    await rm(join(this.dir, `${id}.log.json`), { force: true });
  }

  /** The finished records past the per-repository limit (oldest first), for the caller to forget. */
  overLimit(builds: Iterable<Build>, repo: string): Build[] {
    const mine = [...builds].filter((b) => b.repo === repo).sort((a, b) => (a.id < b.id ? -1 : 1));
    const excess = mine.length - MAX_PER_REPO;
    if (excess <= 0) return [];
    return mine.filter((b) => b.status !== 'pending' && b.status !== 'running').slice(0, excess);
  }

  /** Waits for every write in flight. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes.values()]);
  }

  private write(key: string, file: string, text: string): Promise<void> {
    const previous = this.writes.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => writeFileAtomic(join(this.dir, file), text))
      .catch((err: unknown) => this.logger?.error({ err, file }, 'build record not saved'));
    this.writes.set(key, next);
    void next.then(() => {
      if (this.writes.get(key) === next) this.writes.delete(key);
    });
    return next;
  }
}

/** A build the engine stopped under: failed, saying so, and its running step failed with it. */
export function markStopped(build: Build, now: Date): void {
  const wasRunning = build.status === 'running';
  build.status = 'failed';
  build.error = {
    code: 'ENGINE_STOPPED',
    message: wasRunning ? ENGINE_STOPPED_RUNNING : ENGINE_STOPPED_PENDING,
    step: build.steps.find((s) => s.status === 'running')?.id ?? null,
  };
  build.finished_at = now.toISOString();
  build.duration_ms = build.started_at === null ? null : now.getTime() - Date.parse(build.started_at);
  for (const step of build.steps) {
    if (step.status !== 'running') continue;
    step.status = 'failed';
    step.finished_at = build.finished_at;
    step.duration_ms = now.getTime() - Date.parse(step.started_at);
  }
}
