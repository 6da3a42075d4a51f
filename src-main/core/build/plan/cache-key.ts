/**
 * Step cache keys, as BuildKit forms them: a step's key hashes its parent's key, the instruction as
 * expanded (never its spacing or line), the build args it used, and for COPY/ADD the content digests of
 * its sources (never their mtimes, so a fresh checkout still hits). The inputs are kept beside the key,
 * so a miss can be explained by comparing them with an earlier build of the same step.
 */
import { createHash } from 'node:crypto';
import type { Instruction } from '../dockerfile/types';

export interface StepInputs {
  /** The instruction with its location stripped, as canonical JSON. */
  instruction: string;
  /** A short human form for messages: `COPY . /app`. */
  text: string;
  args: Record<string, string>;
  /** COPY/ADD: source path → content digest; FROM: the base image's manifest digest. */
  sources: Record<string, string>;
}

export function stepInputs(
  text: string,
  instruction: unknown,
  args: Record<string, string> = {},
  sources: Readonly<Record<string, string>> = {},
): StepInputs {
  return { instruction: canonicalJson(instruction), text, args: sortRecord(args), sources: sortRecord(sources) };
}

export function stepKey(parentKey: string, inputs: StepInputs): string {
  // The same bytes as JSON.stringify of the array, with a frozen sources record's JSON made only once.
  const sources = jsonOf(inputs.sources);
  return createHash('sha256')
    .update(
      `[${JSON.stringify(parentKey)},${JSON.stringify(inputs.instruction)},${JSON.stringify(inputs.args)},${sources}]`,
    )
    .digest('hex');
}

/** JSON of frozen records (a COPY's 5,000 source digests, shared by rebuilds), by record. */
const frozenJson = new WeakMap<object, string>();

function jsonOf(record: Readonly<Record<string, string>>): string {
  if (!Object.isFrozen(record)) return JSON.stringify(record);
  let json = frozenJson.get(record);
  if (json === undefined) frozenJson.set(record, (json = JSON.stringify(record)));
  return json;
}

/** The instruction without where it was written: moving a line or re-spacing it keeps the cache. */
export function instructionIdentity(instruction: Instruction): unknown {
  const { range: _range, original: _original, ...rest } = instruction;
  return rest;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? sortRecord(v as Record<string, unknown>) : v,
  );
}

function sortRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  // A frozen record already in order (digestSources' answer) is kept as it is: it cannot change later.
  if (Object.isFrozen(record) && inOrder(Object.keys(record))) return record as Record<string, V>;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function inOrder(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return true;
}
