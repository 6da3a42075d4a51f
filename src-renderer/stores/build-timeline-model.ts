/**
 * The timeline drawn from a build: one lane per stage on a shared time axis (stages that ran at the same
 * time overlap), and under it a line per step placed on the same axis. Positions are fractions of the
 * axis, so the view only multiplies by 100%.
 */
import type { Build, BuildStep } from '../bridge';

export interface TimelineBar {
  /** Where the bar starts and how wide it is, as fractions (0–1) of the axis. */
  left: number;
  width: number;
}

export interface TimelineStep extends TimelineBar {
  step: BuildStep;
  /** Milliseconds so far for a running step, else its duration. */
  elapsedMs: number;
}

export interface TimelineStage extends TimelineBar {
  name: string;
  steps: TimelineStep[];
  running: boolean;
}

export interface Timeline {
  /** The axis: from the build's start to its end (or now, while it runs). */
  spanMs: number;
  stages: TimelineStage[];
}

/** Bars narrower than this would vanish; a cached step takes almost no time but must still show. */
const MIN_WIDTH = 0.004;

const ms = (iso: string | null | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);

function endOf(step: BuildStep, now: number): number {
  const start = ms(step.started_at) ?? now;
  if (step.duration_ms !== null) return start + step.duration_ms;
  return ms(step.finished_at) ?? (step.status === 'running' ? now : start);
}

export function timelineOf(build: Build, now: number): Timeline {
  const starts = build.steps.map((step) => ms(step.started_at) ?? now);
  const origin = ms(build.started_at) ?? (starts.length > 0 ? Math.min(...starts) : now);
  const ends = build.steps.map((step) => endOf(step, now));
  const finished = ms(build.finished_at);
  const last = Math.max(origin, finished ?? (build.status === 'running' ? now : origin), ...ends);
  const spanMs = Math.max(last - origin, 1);
  const place = (start: number, end: number): TimelineBar => {
    const left = Math.min(Math.max((start - origin) / spanMs, 0), 1);
    return { left, width: Math.max(Math.min((end - start) / spanMs, 1 - left), MIN_WIDTH) };
  };

  const byStage = new Map<string, TimelineStep[]>();
  build.steps.forEach((step, index) => {
    const start = starts[index]!;
    const end = ends[index]!;
    const line: TimelineStep = { step, elapsedMs: Math.max(end - start, 0), ...place(start, end) };
    byStage.set(step.stage, [...(byStage.get(step.stage) ?? []), line]);
  });

  const stages = [...byStage].map(([name, steps]): TimelineStage => {
    const start = Math.min(...steps.map((s) => origin + s.left * spanMs));
    const end = Math.max(...steps.map((s) => origin + (s.left + s.width) * spanMs));
    return { name, steps, running: steps.some((s) => s.step.status === 'running'), ...place(start, end) };
  });
  return { spanMs, stages };
}

/** `40ms`, `0.3s`, `12.4s`, `2m 05s`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 100) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** `0 B`, `187 B`, `4.2 KB`, `12.0 MB` (1000-based, as registries show sizes). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const text = unit === 0 ? String(value) : value.toFixed(1);
  return `${bytes < 0 ? '−' : ''}${text} ${units[unit]}`;
}
