/**
 * The benchmark harness's types. A benchmark measures this project and a peer tool doing the same work in
 * the same run, so the claim is a ratio that survives a noisy machine, not an absolute time.
 */

export interface BenchRow {
  /** What was measured, e.g. "200 single-file commits (memory)". */
  case: string;
  /** Milliseconds this project took. */
  oursMs: number;
  /** Milliseconds the peer took for the same work. */
  peerMs: number;
  /** The aim from the issue, e.g. ">= 5x"; the ratio is compared to `aimRatio` when given. */
  aim?: string;
  aimRatio?: number;
}

export interface BenchResult {
  /** Name of the peer tool and how it was run, e.g. "git 2.39 CLI on tmpfs". */
  peer: string;
  rows: BenchRow[];
  /** Extra facts worth recording (sizes, memory, gaps to aims with their reasons). */
  notes?: string[];
}

export interface Benchmark {
  name: string;
  title: string;
  run(log: (line: string) => void): Promise<BenchResult>;
}

export function speedup(row: BenchRow): number {
  return row.peerMs / Math.max(row.oursMs, 1e-6);
}

/** Median of `runs` timed calls of `fn`, in milliseconds. */
export async function timeMedian(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
