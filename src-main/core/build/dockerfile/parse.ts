/**
 * The Dockerfile frontend's entry point: text → `ParsedDockerfile` plus every located problem and warning.
 * Values stay as written (quotes included) in the result; `resolveStage` (expand.ts) expands them per stage.
 * When `options` are given, each stage's `base` and `platform` are expanded in the global scope.
 */
import { type AstNode, parseAst } from './ast';
import { parseFlags } from './flags';
import { buildInstruction, type BuildContext, RAW_EXPANDER } from './instructions';
import { type DockerfileWarning, locate, problem, ProblemError, type WarningRule } from './problems';
import { expandFrom, globalScope, type ScopeOptions } from './scope';
import type { EscapeChar } from './shell-lexer';
import type { DockerfileProblem, Instruction, ParsedDockerfile, Stage } from './types';
import { splitFields } from './words';

export interface ParseResult {
  dockerfile: ParsedDockerfile;
  problems: DockerfileProblem[];
  warnings: DockerfileWarning[];
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const RESERVED_STAGE_NAMES = new Set(['scratch', 'context']);

export function parseDockerfile(text: string, options?: ScopeOptions): ParseResult {
  const ast = parseAst(text);
  const problems = [...ast.problems];
  const warnings = [...ast.warnings];
  const dockerfile: ParsedDockerfile = { directives: ast.directives, escape: ast.escape, globalArgs: [], stages: [] };
  const report = (node: AstNode, error: unknown): void => {
    if (!(error instanceof ProblemError)) throw error;
    problems.push(problem(error.code, error.message, locate(node.lines, node.range, error.near)));
  };
  if (ast.nodes.length === 0) {
    problems.push(
      problem('NO_FROM', 'the Dockerfile has no instructions', {
        startLine: 1,
        startColumn: 1,
        endLine: 1,
        endColumn: 1,
      }),
    );
  }
  const names = new Set<string>();
  for (const node of ast.nodes) {
    const ctx = contextFor(node, ast.escape, warnings);
    try {
      if (node.keyword === 'from') {
        const stage = buildStage(node, dockerfile.stages.length, ctx);
        if (stage.name !== undefined) {
          if (names.has(stage.name)) throw new ProblemError('BAD_ARGUMENT', `duplicate stage name "${stage.name}"`);
          if (RESERVED_STAGE_NAMES.has(stage.name)) {
            ctx.warn('ReservedStageName', `"${stage.name}" is a reserved word and should not be used as a stage name`);
          }
          names.add(stage.name);
        }
        dockerfile.stages.push(stage);
        continue;
      }
      const instruction = buildInstruction(node, ctx);
      if (instruction.kind === 'ONBUILD') checkTrigger(instruction.trigger, node, ast.escape, problems);
      const current = dockerfile.stages[dockerfile.stages.length - 1];
      if (current) {
        current.instructions.push(instruction);
      } else if (instruction.kind === 'ARG') {
        for (const arg of instruction.args) dockerfile.globalArgs.push({ ...arg, range: instruction.range });
      } else {
        throw new ProblemError(
          'NO_FROM',
          `no build stage in current context: ${node.keywordText} must come after FROM`,
        );
      }
    } catch (error) {
      report(node, error);
    }
  }
  if (ast.nodes.length > 0 && dockerfile.stages.length === 0 && problems.every((p) => p.code !== 'NO_FROM')) {
    const last = ast.nodes[ast.nodes.length - 1] as AstNode;
    problems.push(problem('NO_FROM', 'the Dockerfile has no FROM instruction', last.range));
  }
  if (options) expandStageBases(dockerfile, options, problems);
  return { dockerfile, problems, warnings };
}

function contextFor(node: AstNode, escape: EscapeChar, warnings: DockerfileWarning[]): BuildContext {
  return {
    x: RAW_EXPANDER,
    escape,
    warn: (rule: WarningRule, message: string) => warnings.push({ rule, message, range: node.range }),
  };
}

function buildStage(node: AstNode, index: number, ctx: BuildContext): Stage {
  const flags = parseFlags('from', node.flags);
  const args = splitFields(node.rest);
  let name: string | undefined;
  if (args.length === 3 && (args[1] as string).toLowerCase() === 'as') {
    name = (args[2] as string).toLowerCase();
    if (!STAGE_NAME.test(name)) {
      throw new ProblemError(
        'BAD_ARGUMENT',
        `invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`,
        args[2],
      );
    }
  } else if (args.length !== 1) {
    throw new ProblemError('BAD_ARGUMENT', 'FROM requires either one or three arguments');
  }
  const platform = flags.string('platform');
  return {
    index,
    ...(name === undefined ? {} : { name }),
    base: ctx.x.word(args[0] as string),
    ...(platform === undefined ? {} : { platform }),
    from: { range: node.range, original: node.original },
    instructions: [],
  };
}

function expandStageBases(dockerfile: ParsedDockerfile, options: ScopeOptions, problems: DockerfileProblem[]): void {
  let scope;
  try {
    scope = globalScope(dockerfile, options);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    problems.push(
      problem(error.code, error.message, dockerfile.globalArgs[0]?.range ?? dockerfile.stages[0]!.from.range),
    );
    return;
  }
  for (const stage of dockerfile.stages) {
    try {
      const expanded = expandFrom(stage, scope, dockerfile.escape);
      stage.base = expanded.base;
      if (expanded.platform !== undefined) stage.platform = expanded.platform;
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      problems.push(problem(error.code, error.message, stage.from.range));
    }
  }
}

/** Triggers run later, in another build; checking them now reports their mistakes where they were written. */
function checkTrigger(trigger: string, node: AstNode, escape: EscapeChar, problems: DockerfileProblem[]): void {
  const result = parseTrigger(trigger, escape, node.range.startLine - 1);
  for (const found of result.problems) problems.push({ ...found, range: locate(node.lines, node.range, undefined) });
}

export interface TriggerResult {
  instruction?: Instruction;
  problems: DockerfileProblem[];
  warnings: DockerfileWarning[];
}

/**
 * Parses one ONBUILD trigger (`RUN make`, as stored in an image's config `OnBuild`) into an instruction with
 * values as written; the executor resolves it with `resolveStage`'s `baseImageOnBuild`.
 */
export function parseTrigger(trigger: string, escape: EscapeChar = '\\', lineOffset = 0): TriggerResult {
  const ast = parseAst(trigger, { escape, lineOffset });
  const problems = [...ast.problems];
  const warnings = [...ast.warnings];
  const node = ast.nodes[0];
  if (!node || ast.nodes.length > 1) {
    const range = node?.range ?? { startLine: lineOffset + 1, startColumn: 1, endLine: lineOffset + 1, endColumn: 1 };
    problems.push(problem('BAD_ARGUMENT', 'an ONBUILD trigger must be exactly one instruction', range));
    return { problems, warnings };
  }
  if (['onbuild', 'from', 'maintainer'].includes(node.keyword)) {
    problems.push(
      problem('BAD_ARGUMENT', `${node.keyword.toUpperCase()} isn't allowed as an ONBUILD trigger`, node.range),
    );
    return { problems, warnings };
  }
  try {
    const instruction = buildInstruction(node, contextFor(node, escape, warnings));
    return { instruction, problems, warnings };
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    problems.push(problem(error.code, error.message, locate(node.lines, node.range, error.near)));
    return { problems, warnings };
  }
}
