/**
 * Build logs, kept outside React state: a noisy RUN prints thousands of lines a second, and copying an
 * array into a store per line would freeze the window. A `LogBuffer` holds a build's lines (bounded) and
 * tells its listeners what was appended; a `FrameBatcher` turns those appends into one terminal write per
 * animation frame.
 */

export interface LogLine {
  /** The step id (`#3`) the line belongs to. */
  step: string;
  text: string;
}

/** Enough for any step's kept head and tail (the engine bounds a build's log to 1 MiB). */
export const LOG_LIMIT = 200_000;

export type LogListener = (appended: readonly LogLine[], reset: boolean) => void;

export class LogBuffer {
  private items: LogLine[] = [];
  private readonly listeners = new Set<LogListener>();

  constructor(private readonly limit = LOG_LIMIT) {}

  get lines(): readonly LogLine[] {
    return this.items;
  }

  append(lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    this.items.push(...lines);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    for (const listener of [...this.listeners]) listener(lines, false);
  }

  /** Replaces everything (a snapshot read from the engine); listeners start over. */
  replace(lines: readonly LogLine[]): void {
    this.items = lines.slice(-this.limit);
    for (const listener of [...this.listeners]) listener(this.items, true);
  }

  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The engine's `omitted` count, shown where the lines were left out. */
export function omissionLine(step: string, omitted: number, where = ''): LogLine {
  return { step, text: `\u001b[2m… ${omitted} lines omitted${where ? ` ${where}` : ''}\u001b[22m` };
}

export type FrameScheduler = (callback: () => void) => void;

/**
 * Collects text and hands it to `flush` at most once per frame: the terminal parses one large write far
 * faster than many small ones, and the page keeps painting in between.
 */
export class FrameBatcher {
  private pending: string[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly flush: (text: string) => void,
    private readonly schedule: FrameScheduler = (callback) => requestAnimationFrame(callback),
  ) {}

  push(text: string): void {
    if (this.stopped) return;
    this.pending.push(text);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.run());
  }

  /** Drops what waits (the view starts over, e.g. after a filter change). */
  clear(): void {
    this.pending = [];
  }

  stop(): void {
    this.stopped = true;
    this.pending = [];
  }

  private run(): void {
    this.scheduled = false;
    if (this.stopped || this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.flush(text);
  }
}

/** Removes ANSI escape sequences (colours, cursor moves), for copying and searching plain text. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '');
}
