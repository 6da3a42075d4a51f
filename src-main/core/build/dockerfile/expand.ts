/**
 * Per-stage resolution: what the executor runs. Each instruction is rebuilt from its original text with the
 * stage's variables, following BuildKit: one environment per stage holding the base image's env, ARG values
 * and ENV values (the later definition wins), ARGs re-declared inside a stage to be visible there (a bare
 * `ARG NAME` takes the global or predefined value), `--build-arg` overriding defaults, and a stage based on
 * another stage inheriting its environment and ARGs and running its ONBUILD triggers.
 */
import { type AstNode, parseAst } from './ast';
import { buildInstruction, type Expander } from './instructions';
import { type DockerfileWarning, locate, problem, ProblemError, type WarningRule } from './problems';
import {
  expandFrom,
  expandOrThrow,
  type GlobalScope,
  globalScope,
  PLATFORM_ARGS,
  PROXY_ARGS,
  type ScopeOptions,
} from './scope';
import { type EscapeChar, processWord, ShellSyntaxError } from './shell-lexer';
import type { DockerfileProblem, Instruction, ParsedDockerfile } from './types';

export interface ResolveOptions extends ScopeOptions {
  /** The base image's config `Env` (`NAME=value` entries), when the stage is based on an image. */
  baseImageEnv?: readonly string[] | Readonly<Record<string, string>>;
  /** The base image's config `OnBuild` triggers, run before the stage's own instructions. */
  baseImageOnBuild?: readonly string[];
  /** The resolved parent, required when the stage is based on another stage (FROM <stage name>). */
  parent?: ResolvedStage;
}

export interface ResolvedInstruction {
  instruction: Instruction;
  /**
   * The build args (ARG values) this instruction's result depends on, for its cache key: those it expanded,
   * and for RUN every ARG in scope, since they are in its environment.
   */
  usedArgs: Record<string, string>;
  /** RUN only: the command's environment (image env, ARG values, ENV values), without proxy args. */
  env?: Record<string, string>;
  /** Set for triggers inherited from the base image or parent stage. */
  onBuild?: true;
}

export interface ResolvedStage {
  index: number;
  name?: string;
  /** Expanded in the global scope. */
  base: string;
  platform?: string;
  /** The stage this one is based on, when `base` names an earlier stage. */
  baseStage?: number;
  /** Global ARGs the FROM line used (its cache key). */
  baseUsedArgs: Record<string, string>;
  instructions: ResolvedInstruction[];
  /** The stage's final environment, as its RUNs saw it; inherited by stages based on this one. */
  env: Record<string, string>;
  /** The image config's `Env` at the end (ARG values are not persisted). */
  imageEnv: Record<string, string>;
  /** ARGs in scope at the end: name → value, or undefined when declared without one. */
  args: Record<string, string | undefined>;
  /** Proxy build args (HTTP_PROXY…): for RUN's environment only, never cache keys or history. */
  proxyEnv: Record<string, string>;
  problems: DockerfileProblem[];
  warnings: DockerfileWarning[];
}

type Source = 'arg' | 'env';

class StageState {
  readonly env = new Map<string, { value: string; source: Source }>();
  readonly imageEnv = new Map<string, string>();
  readonly args = new Map<string, string | undefined>();

  argValues(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, entry] of this.env) if (entry.source === 'arg') out[name] = entry.value;
    return out;
  }
  envRecord(): Record<string, string> {
    return Object.fromEntries([...this.env].map(([name, entry]) => [name, entry.value]));
  }
}

export function resolveStage(
  parsed: ParsedDockerfile,
  stageIndex: number,
  options: ResolveOptions = {},
): ResolvedStage {
  const stage = parsed.stages[stageIndex];
  if (!stage) throw new RangeError(`no stage ${stageIndex}`);
  const problems: DockerfileProblem[] = [];
  const warnings: DockerfileWarning[] = [];
  const buildArgs = options.buildArgs ?? {};
  let scope: GlobalScope = { values: new Map(), deps: new Map() };
  let from: { base: string; platform?: string; used: Set<string> } = { ...stage, used: new Set() };
  try {
    scope = globalScope(parsed, options);
    from = expandFrom(stage, scope, parsed.escape);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    problems.push(problem(error.code, error.message, stage.from.range));
  }
  const baseStage = findBaseStage(parsed, stageIndex, from.base);
  const state = new StageState();
  let triggers: string[];
  if (baseStage !== undefined) {
    const parent = options.parent;
    if (!parent || parent.index !== baseStage) {
      throw new Error(`stage ${stageIndex} is based on stage ${baseStage}: pass its ResolvedStage as options.parent`);
    }
    for (const [name, value] of Object.entries(parent.env)) {
      state.env.set(name, { value, source: name in parent.args && !(name in parent.imageEnv) ? 'arg' : 'env' });
    }
    for (const [name, value] of Object.entries(parent.imageEnv)) state.imageEnv.set(name, value);
    for (const [name, value] of Object.entries(parent.args)) state.args.set(name, value);
    triggers = parsed.stages[baseStage]!.instructions.flatMap((i) => (i.kind === 'ONBUILD' ? [i.trigger] : []));
  } else {
    for (const [name, value] of envEntries(options.baseImageEnv)) {
      state.env.set(name, { value, source: 'env' });
      state.imageEnv.set(name, value);
    }
    triggers = [...(options.baseImageOnBuild ?? [])];
  }

  const resolver = new InstructionResolver(parsed.escape, state, buildArgs, scope.values, warnings);
  for (const trigger of triggers) {
    const ast = parseAst(trigger, { escape: parsed.escape, lineOffset: stage.from.range.startLine - 1 });
    for (const node of ast.nodes) {
      const located = { ...node, range: stage.from.range, lines: [] };
      const resolved = resolver.resolve(located, problems);
      if (resolved) resolved.onBuild = true;
    }
  }
  for (const instruction of stage.instructions) {
    const ast = parseAst(instruction.original, { escape: parsed.escape, lineOffset: instruction.range.startLine - 1 });
    const node = ast.nodes[0];
    if (!node) continue;
    resolver.resolve({ ...node, range: instruction.range }, problems, instruction);
  }

  const proxyEnv = Object.fromEntries(Object.entries(buildArgs).filter(([name]) => PROXY_ARGS.has(name)));
  return {
    index: stage.index,
    ...(stage.name === undefined ? {} : { name: stage.name }),
    base: from.base,
    ...(from.platform === undefined ? {} : { platform: from.platform }),
    ...(baseStage === undefined ? {} : { baseStage }),
    baseUsedArgs: Object.fromEntries([...from.used].map((name) => [name, scope.values.get(name) as string])),
    instructions: resolver.resolved,
    env: state.envRecord(),
    imageEnv: Object.fromEntries(state.imageEnv),
    args: Object.fromEntries(state.args),
    proxyEnv,
    problems,
    warnings,
  };
}

/** FROM names an earlier stage (case-insensitively); anything else is an image. */
export function findBaseStage(parsed: ParsedDockerfile, stageIndex: number, base: string): number | undefined {
  const lower = base.toLowerCase();
  for (let i = 0; i < stageIndex; i++) if (parsed.stages[i]?.name === lower) return i;
  return undefined;
}

function envEntries(env: ResolveOptions['baseImageEnv']): Array<[string, string]> {
  if (env === undefined) return [];
  if (!Array.isArray(env)) return Object.entries(env as Record<string, string>);
  return (env as readonly string[]).map((entry) => {
    const eq = entry.indexOf('=');
    return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
  });
}

class InstructionResolver {
  readonly resolved: ResolvedInstruction[] = [];

  constructor(
    private readonly escape: EscapeChar,
    private readonly state: StageState,
    private readonly buildArgs: Readonly<Record<string, string>>,
    private readonly globals: ReadonlyMap<string, string>,
    private readonly warnings: DockerfileWarning[],
  ) {}

  resolve(node: AstNode, problems: DockerfileProblem[], parsed?: Instruction): ResolvedInstruction | undefined {
    const referenced = new Set<string>();
    const warn = (rule: WarningRule, message: string): void => {
      this.warnings.push({ rule, message, range: node.range });
    };
    try {
      let instruction: Instruction;
      if (node.keyword === 'arg') {
        instruction = parsed?.kind === 'ARG' ? parsed : buildInstruction(node, { x: RAW, escape: this.escape, warn });
        instruction = this.declareArgs(instruction as Extract<Instruction, { kind: 'ARG' }>, referenced);
      } else {
        instruction = buildInstruction(node, { x: this.expander(referenced, warn), escape: this.escape, warn });
        this.apply(instruction);
      }
      const result: ResolvedInstruction = { instruction, usedArgs: this.usedArgs(instruction, referenced) };
      if (instruction.kind === 'RUN') result.env = this.state.envRecord();
      this.resolved.push(result);
      return result;
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      problems.push(problem(error.code, error.message, locate(node.lines, node.range, error.near)));
      return undefined;
    }
  }

  private expander(referenced: Set<string>, warn: (rule: WarningRule, message: string) => void): Expander {
    const lookup = (name: string): string | undefined => this.state.env.get(name)?.value;
    const run = (raw: string, opts: { skipProcessQuotes?: boolean; escape?: EscapeChar } = {}) => {
      let result;
      try {
        result = processWord(raw, lookup, { escape: this.escape, ...opts });
      } catch (error) {
        if (error instanceof ShellSyntaxError) throw new ProblemError('BAD_ARGUMENT', error.message);
        throw error;
      }
      for (const name of [...result.matched, ...result.unmatched]) referenced.add(name);
      for (const name of result.unmatched) {
        if (!this.state.args.has(name)) warn('UndefinedVar', `Usage of undefined variable '$${name}'`);
      }
      return result;
    };
    return {
      active: true,
      word: (raw) => run(raw).value,
      words: (raw) => run(raw).words,
      // BuildKit expands COPY heredoc bodies with quotes as plain text and `\` as the escape.
      body: (text) => run(text, { skipProcessQuotes: true, escape: '\\' }).value,
    };
  }

  /** ARG pairs are processed in order, each seeing the ones before it. */
  private declareArgs(arg: Extract<Instruction, { kind: 'ARG' }>, referenced: Set<string>): Instruction {
    const args = arg.args.map(({ name, default: fallback }) => {
      let value: string | undefined;
      if (Object.prototype.hasOwnProperty.call(this.buildArgs, name)) {
        value = this.buildArgs[name];
      } else if (fallback !== undefined) {
        const lookup = (n: string): string | undefined => this.state.env.get(n)?.value;
        const result = expandOrThrow(fallback, lookup, this.escape);
        for (const n of result.matched) referenced.add(n);
        value = result.value;
      } else {
        value = this.globals.get(name);
      }
      this.state.args.set(name, value);
      if (value !== undefined) this.state.env.set(name, { value, source: 'arg' });
      return value === undefined ? { name } : { name, default: value };
    });
    return { ...arg, args };
  }

  private apply(instruction: Instruction): void {
    if (instruction.kind !== 'ENV') return;
    for (const { key, value } of instruction.pairs) {
      this.state.env.set(key, { value, source: 'env' });
      this.state.imageEnv.set(key, value);
    }
  }

  private usedArgs(instruction: Instruction, referenced: Set<string>): Record<string, string> {
    if (instruction.kind === 'RUN') return this.state.argValues();
    const used: Record<string, string> = {};
    for (const name of referenced) {
      const entry = this.state.env.get(name);
      if (entry?.source === 'arg') used[name] = entry.value;
    }
    if (instruction.kind === 'ARG') {
      for (const { name, default: value } of instruction.args) if (value !== undefined) used[name] = value;
    }
    return used;
  }
}

const RAW: Expander = { active: false, word: (w) => w, words: (w) => [w], body: (t) => t };

/**
 * `--build-arg` names no ARG declared (globally or in the given stages) consumed; Docker warns about them.
 * Predefined proxy and platform args never count as unused.
 */
export function unusedBuildArgs(
  parsed: ParsedDockerfile,
  buildArgs: Readonly<Record<string, string>>,
  stageIndexes: readonly number[] = parsed.stages.map((stage) => stage.index),
): string[] {
  const declared = new Set(parsed.globalArgs.map((arg) => arg.name));
  for (const index of stageIndexes) {
    for (const instruction of parsed.stages[index]?.instructions ?? []) {
      if (instruction.kind === 'ARG') for (const arg of instruction.args) declared.add(arg.name);
    }
  }
  return Object.keys(buildArgs)
    .filter((name) => !declared.has(name) && !PROXY_ARGS.has(name) && !PLATFORM_ARGS.has(name))
    .filter((name) => !name.startsWith('BUILDKIT_'))
    .sort();
}
