/** What the compare view shows of `builds.compare`: one row per aligned step, deltas in words. */
import type { BuildComparison, BuildStepDiff } from '../bridge';
import { formatBytes } from './build-timeline-model';

export interface CompareRow {
  key: string;
  stage: string;
  text: string;
  change: BuildStepDiff['change'];
  /** `cached`, `built`, or `–` when the step is not in that build. */
  inA: string;
  inB: string;
  /** Why B rebuilt the step, when it did. */
  why: string | null;
  duration: string;
  size: string;
}

export interface CompareSummary {
  rows: CompareRow[];
  changed: number;
  headline: string;
}

const cacheWord = (cached: boolean | null) => (cached === null ? '–' : cached ? 'cached' : 'built');

/** `+1.2s`, `−0.3s`, `±0s`; `–` when not comparable. */
export function signedSeconds(ms: number | null): string {
  if (ms === null) return '–';
  if (Math.abs(ms) < 50) return '±0s';
  return `${ms > 0 ? '+' : '−'}${(Math.abs(ms) / 1000).toFixed(1)}s`;
}

export function signedBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  if (bytes === 0) return '±0 B';
  return `${bytes > 0 ? '+' : ''}${formatBytes(bytes)}`;
}

export function compareModel(comparison: BuildComparison): CompareSummary {
  const rows = comparison.steps.map((step, index): CompareRow => ({
    key: `${index}:${step.a ?? ''}:${step.b ?? ''}`,
    stage: step.stage,
    text: step.text,
    change: step.change,
    inA: cacheWord(step.cached_a),
    inB: cacheWord(step.cached_b),
    why: step.cached_b === false ? step.miss_reason_b : null,
    duration: signedSeconds(step.duration_ms_delta),
    size: signedBytes(step.layer_size_delta),
  }));
  const changed = rows.filter((row) => row.change !== 'same').length;
  const image = comparison.same_image ? 'the same image' : 'different images';
  const headline =
    `${changed} of ${rows.length} steps differ; ${image}; ` +
    `time ${signedSeconds(comparison.duration_ms_delta)}, size ${signedBytes(comparison.size_delta)}`;
  return { rows, changed, headline };
}
