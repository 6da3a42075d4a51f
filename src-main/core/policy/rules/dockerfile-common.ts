/** What several Dockerfile rules share: stage lookups, base images with global ARG defaults, keyword ranges. */
import type { SourceRange } from '../../../../src-shared/contract/definitions';
import type { Instruction, Stage } from '../../build/dockerfile';
import { parseImageRef, type ImageRef } from '../image-ref';
import { findOnLines, fromDockerfile, lineSpan } from '../text';
import type { DockerfileInput } from '../types';

export type Of<K extends Instruction['kind']> = Instruction & { kind: K };

export function instructionsOf<K extends Instruction['kind']>(stage: Stage, kind: K): Array<Of<K>> {
  return stage.instructions.filter((i): i is Of<K> => i.kind === kind);
}

export function allInstructions<K extends Instruction['kind']>(
  input: DockerfileInput,
  kind: K,
): Array<{ stage: Stage; instruction: Of<K> }> {
  return input.parsed.dockerfile.stages.flatMap((stage) =>
    instructionsOf(stage, kind).map((instruction) => ({ stage, instruction })),
  );
}

/** The stage a base or `--from` names: an earlier stage's name or index. */
export function stageNamed(input: DockerfileInput, ref: string, before: number): Stage | undefined {
  const stages = input.parsed.dockerfile.stages.slice(0, before);
  if (/^\d+$/.test(ref)) return stages[Number(ref)];
  return stages.find((s) => s.name === ref.toLowerCase());
}

/** The base image of a stage with `${ARG}`s from global ARG defaults, or undefined for stages and scratch. */
export function baseImage(input: DockerfileInput, stage: Stage): ImageRef | undefined {
  if (stageNamed(input, stage.base, stage.index)) return undefined;
  const expanded = stage.base.replace(/\$\{(\w+)(?::?[-+][^}]*)?\}|\$(\w+)/g, (all, a?: string, b?: string) => {
    const arg = input.parsed.dockerfile.globalArgs.find((g) => g.name === (a ?? b));
    return arg?.default !== undefined ? arg.default.replace(/^["']|["']$/g, '') : all;
  });
  if (expanded.toLowerCase() === 'scratch') return undefined;
  return parseImageRef(expanded);
}

/** The stages a stage builds on through `FROM <stage>`, nearest first, itself included. */
export function stageChain(input: DockerfileInput, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && !chain.includes(s); s = stageNamed(input, s.base, s.index)) chain.push(s);
  return chain;
}

export function finalStage(input: DockerfileInput): Stage | undefined {
  const stages = input.parsed.dockerfile.stages;
  return stages[stages.length - 1];
}

/** The base image word on the FROM line, for a precise range; else the whole FROM. */
export function fromImageRange(input: DockerfileInput, stage: Stage): SourceRange {
  const r = stage.from.range;
  const m = findOnLines(input.lines, r.startLine, r.endLine, /^\s*from\s+(?:--\S+\s+)*(\S+)/i);
  if (m) {
    const word = m.groups[0]!;
    return lineSpan(m.line, m.column + m.text.length - word.length, word.length);
  }
  return fromDockerfile(r);
}

/** The instruction's keyword, for rules about the instruction as a whole. */
export function keywordRange(input: DockerfileInput, i: { range: { startLine: number } }): SourceRange {
  const line = input.lines[i.range.startLine - 1] ?? '';
  const m = /^\s*([A-Za-z]+)/.exec(line);
  if (!m) return lineSpan(i.range.startLine, 1, Math.max(line.length, 1));
  return lineSpan(i.range.startLine, m[0].length - m[1]!.length + 1, m[1]!.length);
}

export function anchorsOf(i: { range: { startLine: number } }): number[] {
  return [i.range.startLine];
}
