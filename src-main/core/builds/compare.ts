/**
 * Two builds side by side, step by step: steps are matched by stage and instruction text in order (so an
 * inserted step shows as added rather than shifting every later one), then each pair says whether its layer
 * changed, whether the second missed the cache and why, and the time and size it gained or lost.
 */
import type { Build, BuildStep } from '../../../src-shared/contract';
import type { z } from 'zod';
import type { BuildComparison, BuildStepDiff } from '../../../src-shared/contract';

type StepDiff = z.infer<typeof BuildStepDiff>;

export function compareBuilds(a: Build, b: Build): z.infer<typeof BuildComparison> {
  const steps = align(a.steps, b.steps).map(([x, y]) => diffStep(x, y));
  return {
    a: a.id,
    b: b.id,
    commits: { a: a.commit, b: b.commit },
    steps,
    duration_ms_delta: a.duration_ms === null || b.duration_ms === null ? null : b.duration_ms - a.duration_ms,
    size_delta: a.size === null || b.size === null ? null : b.size - a.size,
    same_image: a.digest !== null && a.digest === b.digest,
  };
}

function diffStep(x: BuildStep | undefined, y: BuildStep | undefined): StepDiff {
  const either = (y ?? x)!;
  const layerChanged = x && y && (x.layer_digest !== y.layer_digest || x.status !== y.status);
  return {
    stage: either.stage,
    text: either.text,
    a: x?.id ?? null,
    b: y?.id ?? null,
    change: !x ? 'added' : !y ? 'removed' : layerChanged ? 'changed' : 'same',
    cached_a: x?.cached ?? null,
    cached_b: y?.cached ?? null,
    miss_reason_b: y?.miss_reason ?? null,
    duration_ms_delta: x?.duration_ms != null && y?.duration_ms != null ? y.duration_ms - x.duration_ms : null,
    layer_size_delta: x?.layer_size != null && y?.layer_size != null ? y.layer_size - x.layer_size : null,
  };
}

/** A longest-common-subsequence alignment on (stage, text); unmatched steps pair with nothing. */
function align(a: BuildStep[], b: BuildStep[]): Array<[BuildStep | undefined, BuildStep | undefined]> {
  const key = (s: BuildStep) => `${s.stage}\0${s.text}`;
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Array<[BuildStep | undefined, BuildStep | undefined]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(a[i]!) === key(b[j]!)) out.push([a[i++], b[j++]]);
    else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push([undefined, b[j++]]);
    else out.push([a[i++], undefined]);
  }
  return out;
}
