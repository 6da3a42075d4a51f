/**
 * BuildKit's `--progress=rawjson`: one JSON `SolveStatus` per line, each carrying updates to vertexes
 * (`digest`, `name`, `started`, `completed`, `cached`, `error`), statuses (transfers, with `current` and
 * `total`) and logs (`vertex`, `stream`, base64 `data`). Vertexes named `[stage n/m] INSTR` are the
 * Dockerfile's steps; the rest (`[internal] load …`, `exporting to image`) are BuildKit's own work.
 * Stages run in parallel, so several steps may be open at once.
 */
import type { EventSink, ProgressParser } from './types';

interface RawVertex {
  digest: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

interface RawStatus {
  id: string;
  vertex: string;
  name?: string;
  current?: number;
  total?: number;
  completed?: string;
}

interface RawLog {
  vertex: string;
  stream?: number;
  data?: string;
}

interface SolveStatus {
  vertexes?: RawVertex[] | null;
  statuses?: RawStatus[] | null;
  logs?: RawLog[] | null;
}

/**
 * `[build 2/4] RUN make`; `[2/4] RUN make` in a one-stage file; with several platforms
 * `[linux/arm64 build 2/4] RUN make`.
 */
const STEP_NAME = /^\[(?:(.+) )?(\d+)\/(\d+)\] (.*)$/s;

interface StepState {
  id: number;
  started?: string;
  finished: boolean;
}

export class BuildKitProgress implements ProgressParser {
  private nextId = 0;
  private readonly steps = new Map<string, StepState>();
  /** Logs of a step vertex that arrived before the vertex was reported started. */
  private readonly early = new Map<string, RawLog[]>();
  /** Step vertexes reported but not started: only their early logs are kept (BuildKit's own are not). */
  private readonly waiting = new Set<string>();
  private readonly doneStatuses = new Set<string>();
  private readonly plainLines: string[] = [];
  private vertexError: string | undefined;

  constructor(private readonly emit: EventSink) {}

  line(text: string): void {
    if (!text.startsWith('{')) {
      if (text.trim() !== '') this.plainLines.push(text);
      return;
    }
    let status: SolveStatus;
    try {
      status = JSON.parse(text) as SolveStatus;
    } catch {
      this.plainLines.push(text);
      return;
    }
    for (const vertex of status.vertexes ?? []) this.vertex(vertex);
    for (const s of status.statuses ?? []) this.status(s);
    for (const log of status.logs ?? []) this.log(log);
  }

  end(outcome: { code: number | null; cancelled: boolean }): void {
    const message = outcome.cancelled ? 'cancelled' : (this.errorMessage() ?? `exit status ${outcome.code}`);
    for (const step of this.steps.values()) {
      if (step.finished) continue;
      step.finished = true;
      if (outcome.code === 0 && !outcome.cancelled) this.emit({ type: 'done', id: step.id, seconds: 0 });
      else this.emit({ type: 'failed', id: step.id, seconds: 0, message });
    }
  }

  /** BuildKit's closing `ERROR: …` line says the most; a failed vertex's error is next best. */
  errorMessage(): string | undefined {
    const errorLine = [...this.plainLines].reverse().find((l) => l.startsWith('ERROR:'));
    return errorLine?.replace(/^ERROR:\s*/, '') ?? this.vertexError;
  }

  private vertex(vertex: RawVertex): void {
    const named = STEP_NAME.exec(vertex.name ?? '');
    if (!named) {
      if (vertex.error && !vertex.error.includes('context canceled')) this.vertexError ??= vertex.error;
      return;
    }
    let step = this.steps.get(vertex.digest);
    if (!step) {
      if (!vertex.started && !vertex.completed && !vertex.cached) {
        this.waiting.add(vertex.digest);
        return;
      }
      this.waiting.delete(vertex.digest);
      step = { id: ++this.nextId, finished: false };
      this.steps.set(vertex.digest, step);
      this.emit({
        type: 'step',
        id: step.id,
        stage: named[1] ?? 'stage-0',
        position: Number(named[2]),
        total: Number(named[3]),
        text: named[4]!,
      });
      for (const log of this.early.get(vertex.digest) ?? []) this.log(log);
      this.early.delete(vertex.digest);
    }
    step.started ??= vertex.started;
    if (step.finished || (!vertex.completed && !vertex.error)) return;
    step.finished = true;
    const seconds = secondsBetween(step.started ?? vertex.started, vertex.completed);
    if (vertex.error) {
      this.vertexError ??= vertex.error;
      this.emit({ type: 'failed', id: step.id, seconds, message: vertex.error });
    } else if (vertex.cached) this.emit({ type: 'cached', id: step.id });
    else this.emit({ type: 'done', id: step.id, seconds });
  }

  /** A finished transfer (a base layer, the context) becomes one line of its step's log. */
  private status(status: RawStatus): void {
    const step = this.steps.get(status.vertex);
    if (!step || !status.completed || this.doneStatuses.has(`${status.vertex} ${status.id}`)) return;
    this.doneStatuses.add(`${status.vertex} ${status.id}`);
    const size = status.total ? ` ${status.total} bytes` : '';
    this.emit({ type: 'output', id: step.id, stream: 'stderr', text: `${status.name ?? status.id}${size} done\n` });
  }

  private log(log: RawLog): void {
    const step = this.steps.get(log.vertex);
    if (!step) {
      if (!this.waiting.has(log.vertex)) return;
      const list = this.early.get(log.vertex) ?? [];
      list.push(log);
      this.early.set(log.vertex, list);
      return;
    }
    const text = Buffer.from(log.data ?? '', 'base64').toString('utf8');
    if (text) this.emit({ type: 'output', id: step.id, stream: log.stream === 2 ? 'stderr' : 'stdout', text });
  }
}

function secondsBetween(started: string | undefined, completed: string | undefined): number {
  if (!started || !completed) return 0;
  const ms = Date.parse(completed) - Date.parse(started);
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0;
}
