/**
 * Stages as a graph: which stage each FROM, `COPY --from=` and `RUN --mount=from=` refers to (a stage by
 * name, a stage by index for --from, or else an image), the stages the target needs, their topological
 * order and which of them can be built in parallel. As in BuildKit, FROM may only name an earlier stage,
 * while `--from` may name any stage (a cycle is then an error), and a parent stage's ONBUILD triggers
 * count as the child's dependencies.
 */
import { findBaseStage } from './expand';
import { parseTrigger } from './parse';
import { problem, ProblemError } from './problems';
import { expandFrom, globalScope, type ScopeOptions } from './scope';
import type { DockerfileProblem, Instruction, ParsedDockerfile, SourceRange } from './types';

export interface GraphOptions extends ScopeOptions {
  /** `--target`: a stage name; defaults to the last stage. */
  target?: string;
}

export interface StageNode {
  index: number;
  name?: string;
  /** FROM's base, expanded in the global scope. */
  base: string;
  platform?: string;
  baseStage?: number;
  /** Stages this one needs: its base stage and every stage it copies or mounts from. */
  deps: number[];
  /** Images it copies or mounts from (`--from=<image>`), beside its base. */
  images: string[];
}

export interface StageGraph {
  target: number;
  stages: StageNode[];
  /** The stages the target needs, itself included, in a topological order (dependencies first). */
  order: number[];
  /** `order` in waves: the stages of one wave depend only on earlier waves, so they can run in parallel. */
  waves: number[][];
  problems: DockerfileProblem[];
}

// distribution/reference's grammar: [domain[:port]/]path[:tag][@digest], path components lower-case.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

export function isImageReference(text: string): boolean {
  return text.length <= 255 && IMAGE_REFERENCE.test(text);
}

export function planStages(parsed: ParsedDockerfile, options: GraphOptions = {}): StageGraph {
  const problems: DockerfileProblem[] = [];
  const byName = new Map(parsed.stages.flatMap((stage) => (stage.name ? [[stage.name, stage.index] as const] : [])));
  let scope;
  try {
    scope = globalScope(parsed, options);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    scope = { values: new Map<string, string>(), deps: new Map() };
    problems.push(problem(error.code, error.message, parsed.globalArgs[0]?.range ?? zero()));
  }
  const stages: StageNode[] = parsed.stages.map((stage) => {
    let base = stage.base;
    let platform = stage.platform;
    try {
      ({ base, platform } = expandFrom(stage, scope, parsed.escape));
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      problems.push(problem(error.code, error.message, stage.from.range));
    }
    const baseStage = findBaseStage(parsed, stage.index, base);
    if (baseStage === undefined && base.toLowerCase() !== 'scratch' && !isImageReference(base)) {
      problems.push(
        problem(
          'UNDEFINED_STAGE',
          `FROM ${base}: no earlier stage has this name and it is not a valid image reference`,
          stage.from.range,
        ),
      );
    }
    const node: StageNode = { index: stage.index, base, deps: [], images: [] };
    if (stage.name !== undefined) node.name = stage.name;
    if (platform !== undefined) node.platform = platform;
    if (baseStage !== undefined) {
      node.baseStage = baseStage;
      node.deps.push(baseStage);
    }
    return node;
  });
  for (const node of stages) {
    const own = parsed.stages[node.index]!.instructions;
    const inherited =
      node.baseStage === undefined ? [] : triggersOf(parsed.stages[node.baseStage]!.instructions, parsed.escape);
    for (const { instruction, range } of [...own.map((i) => ({ instruction: i, range: i.range })), ...inherited]) {
      for (const ref of referencesOf(instruction)) {
        const target = resolveReference(ref, byName, parsed.stages.length);
        if (target.kind === 'stage') {
          if (!node.deps.includes(target.index)) node.deps.push(target.index);
        } else if (target.kind === 'image') {
          if (!node.images.includes(ref)) node.images.push(ref);
        } else {
          problems.push(problem('UNDEFINED_STAGE', target.message, range));
        }
      }
    }
  }
  const target = pickTarget(parsed, options.target, byName, problems);
  const { order, waves } = orderStages(stages, target, parsed, problems);
  return { target, stages, order, waves, problems };
}

function zero(): SourceRange {
  return { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
}

function triggersOf(instructions: Instruction[], escape: ParsedDockerfile['escape']) {
  return instructions.flatMap((instruction) => {
    if (instruction.kind !== 'ONBUILD') return [];
    const parsed = parseTrigger(instruction.trigger, escape).instruction;
    return parsed ? [{ instruction: parsed, range: instruction.range }] : [];
  });
}

function referencesOf(instruction: Instruction): string[] {
  if (instruction.kind === 'COPY' && instruction.from !== undefined) return [instruction.from];
  if (instruction.kind === 'RUN') return instruction.mounts.flatMap((mount) => (mount.from ? [mount.from] : []));
  return [];
}

type Reference = { kind: 'stage'; index: number } | { kind: 'image' } | { kind: 'error'; message: string };

function resolveReference(ref: string, byName: ReadonlyMap<string, number>, count: number): Reference {
  if (/^\d+$/.test(ref)) {
    const index = Number(ref);
    if (index >= count)
      return { kind: 'error', message: `invalid stage index ${index}: the Dockerfile has ${count} stage(s)` };
    return { kind: 'stage', index };
  }
  const named = byName.get(ref.toLowerCase());
  if (named !== undefined) return { kind: 'stage', index: named };
  if (isImageReference(ref)) return { kind: 'image' };
  return { kind: 'error', message: `--from=${ref}: no stage has this name and it is not a valid image reference` };
}

function pickTarget(
  parsed: ParsedDockerfile,
  target: string | undefined,
  byName: ReadonlyMap<string, number>,
  problems: DockerfileProblem[],
): number {
  const last = parsed.stages.length - 1;
  if (target === undefined) return last;
  const index = byName.get(target.toLowerCase());
  if (index !== undefined) return index;
  const names = [...byName.keys()];
  problems.push(
    problem(
      'UNDEFINED_STAGE',
      `target stage "${target}" could not be found; stages: ${names.length ? names.join(', ') : '(none are named)'}`,
      parsed.stages[last]?.from.range ?? zero(),
    ),
  );
  return last;
}

/** Depth-first from the target: a stage met again while still on the path is a cycle. */
function orderStages(stages: StageNode[], target: number, parsed: ParsedDockerfile, problems: DockerfileProblem[]) {
  const order: number[] = [];
  const depth = new Map<number, number>();
  const onPath = new Set<number>();
  const visit = (index: number, path: number[]): number => {
    const known = depth.get(index);
    if (known !== undefined) return known;
    if (onPath.has(index)) {
      const cycle = [...path.slice(path.indexOf(index)), index].map((i) => label(stages[i]!));
      problems.push(
        problem(
          'CYCLIC_STAGE',
          `circular dependency detected on stage: ${cycle.join(' → ')}`,
          parsed.stages[index]!.from.range,
        ),
      );
      return 0;
    }
    onPath.add(index);
    let level = 0;
    for (const dep of stages[index]?.deps ?? []) level = Math.max(level, visit(dep, [...path, index]) + 1);
    onPath.delete(index);
    depth.set(index, level);
    order.push(index);
    return level;
  };
  if (stages.length > 0) visit(target, []);
  const byDepth = new Map<number, number[]>();
  for (const index of order)
    byDepth.set(depth.get(index) as number, [...(byDepth.get(depth.get(index) as number) ?? []), index]);
  const waves = [...byDepth.entries()].sort(([a], [b]) => a - b).map(([, wave]) => wave.sort((a, b) => a - b));
  return { order, waves };
}

function label(stage: StageNode): string {
  return stage.name ?? String(stage.index);
}
