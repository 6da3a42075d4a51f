/**
 * A build's log, bounded: each step keeps its first lines (the head) and its latest lines (a tail that
 * rolls), the build keeps at most a total, and whatever falls between is counted, so a RUN printing a
 * million lines costs a few hundred KiB and the log still says `… 999000 lines omitted` where they were.
 */

export interface LogLimits {
  /** Bytes of a step's first lines kept. */
  headBytes: number;
  /** Bytes of a step's latest lines kept. */
  tailBytes: number;
  /** Bytes kept across all steps of the build. */
  totalBytes: number;
  /** A longer line is cut to this many bytes (counted whole). */
  lineBytes: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = {
  headBytes: 32 * 1024,
  tailBytes: 32 * 1024,
  totalBytes: 1024 * 1024,
  lineBytes: 8 * 1024,
};

interface StepLog {
  head: string[];
  headBytes: number;
  tail: string[];
  /** Index of the oldest kept tail line: evicting is a pointer move, compacted now and then. */
  tailStart: number;
  tailBytes: number;
  omitted: number;
  count: number;
}

export interface StepLines {
  id: string;
  lines: string[];
  omitted: number;
}

export interface SavedLog {
  version: 1;
  steps: Array<{ id: string; head: string[]; tail: string[]; omitted: number; count: number }>;
}

export class BuildLog {
  private readonly steps = new Map<string, StepLog>();
  private retained = 0;

  constructor(private readonly limits: LogLimits = DEFAULT_LOG_LIMITS) {}

  /** Adds one line (without its newline); says whether it is in the kept head (else the rolling tail). */
  add(step: string, raw: string): 'head' | 'tail' {
    const log = this.step(step);
    const line = cut(raw, this.limits.lineBytes);
    const bytes = Buffer.byteLength(line) + 1;
    log.count++;
    if (
      log.tail.length === log.tailStart &&
      log.omitted === 0 &&
      log.headBytes + bytes <= this.limits.headBytes &&
      this.retained + bytes <= this.limits.totalBytes
    ) {
      log.head.push(line);
      log.headBytes += bytes;
      this.retained += bytes;
      return 'head';
    }
    log.tail.push(line);
    log.tailBytes += bytes;
    this.retained += bytes;
    while (
      log.tailStart < log.tail.length &&
      (log.tailBytes > this.limits.tailBytes || this.retained > this.limits.totalBytes)
    ) {
      const dropped = Buffer.byteLength(log.tail[log.tailStart++]!) + 1;
      log.tailBytes -= dropped;
      this.retained -= dropped;
      log.omitted++;
    }
    if (log.tailStart > 1024 && log.tailStart * 2 > log.tail.length) {
      log.tail = log.tail.slice(log.tailStart);
      log.tailStart = 0;
    }
    return 'tail';
  }

  lineCount(step: string): number {
    return this.steps.get(step)?.count ?? 0;
  }

  /** Each step's kept lines; an omission marker is the caller's to draw (see `text`). */
  perStep(): StepLines[] {
    return [...this.steps].map(([id, log]) => ({
      id,
      lines: [...log.head, ...log.tail.slice(log.tailStart)],
      omitted: log.omitted,
    }));
  }

  /** The log as text, BuildKit-style (`#3 line`), with `#3 … N lines omitted` where lines were dropped. */
  text(): string {
    let out = '';
    for (const [id, log] of this.steps) {
      for (const line of log.head) out += `${id} ${line}\n`;
      if (log.omitted > 0) out += `${id} … ${log.omitted} lines omitted\n`;
      for (let i = log.tailStart; i < log.tail.length; i++) out += `${id} ${log.tail[i]}\n`;
    }
    return out;
  }

  toJSON(): SavedLog {
    return {
      version: 1,
      steps: [...this.steps].map(([id, log]) => ({
        id,
        head: log.head,
        tail: log.tail.slice(log.tailStart),
        omitted: log.omitted,
        count: log.count,
      })),
    };
  }

  static fromJSON(saved: SavedLog, limits: LogLimits = DEFAULT_LOG_LIMITS): BuildLog {
    const log = new BuildLog(limits);
    for (const step of saved.steps) {
      const headBytes = bytesOf(step.head);
      const tailBytes = bytesOf(step.tail);
      log.steps.set(step.id, {
        head: step.head,
        headBytes,
        tail: step.tail,
        tailStart: 0,
        tailBytes,
        omitted: step.omitted,
        count: step.count,
      });
      log.retained += headBytes + tailBytes;
    }
    return log;
  }

  private step(id: string): StepLog {
    let log = this.steps.get(id);
    if (!log) {
      log = { head: [], headBytes: 0, tail: [], tailStart: 0, tailBytes: 0, omitted: 0, count: 0 };
      this.steps.set(id, log);
    }
    return log;
  }
}

/** Splits output chunks into whole lines per step: a command's chunks rarely end at a newline. */
export class LineSplitter {
  private readonly partial = new Map<string, string>();

  push(step: string, chunk: string, onLine: (line: string) => void): void {
    const text = (this.partial.get(step) ?? '') + chunk;
    const parts = text.split('\n');
    this.partial.set(step, parts.pop()!);
    for (const part of parts) onLine(part.replace(/\r$/, ''));
  }

  flush(step: string, onLine: (line: string) => void): void {
    const rest = this.partial.get(step);
    this.partial.delete(step);
    if (rest) onLine(rest);
  }
}

function cut(line: string, maxBytes: number): string {
  if (line.length * 3 <= maxBytes || Buffer.byteLength(line) <= maxBytes) return line;
  return `${Buffer.from(line).subarray(0, maxBytes).toString('utf8')}… (line cut)`;
}

function bytesOf(lines: string[]): number {
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
}
