/**
 * Instruction nodes → typed instructions. The same code serves parsing (an inactive expander keeps words as
 * written, quotes included) and stage resolution (an active expander substitutes variables and removes
 * quotes), so the two can never disagree about an instruction's shape.
 */
import type { AstNode } from './ast';
import { parseFlags } from './flags';
import { buildCopy, buildHealthcheck, buildRun, commandForm } from './instructions-exec';
import { ProblemError, type WarningRule } from './problems';
import type { EscapeChar } from './shell-lexer';
import type { Instruction } from './types';
import { parsePortSpec, type PortSpec, validateSignal } from './values';
import { parseJsonArray, splitFields, splitOnce, splitQuotedWords } from './words';

export interface Expander {
  /** false while parsing: words come back as written and checks of values holding `$` wait for resolution. */
  readonly active: boolean;
  /** One word: quotes removed, escapes applied, variables substituted. */
  word(raw: string): string;
  /** One word expanded and split into several (EXPOSE). */
  words(raw: string): string[];
  /** A heredoc body: variables substituted, quotes literal. */
  body(text: string): string;
}

export const RAW_EXPANDER: Expander = {
  active: false,
  word: (raw) => raw,
  words: (raw) => [raw],
  body: (text) => text,
};

export interface BuildContext {
  x: Expander;
  escape: EscapeChar;
  warn(rule: WarningRule, message: string): void;
}

export const INSTRUCTION_NAMES = [
  'from',
  'run',
  'cmd',
  'label',
  'maintainer',
  'expose',
  'env',
  'add',
  'copy',
  'entrypoint',
  'volume',
  'user',
  'workdir',
  'arg',
  'onbuild',
  'stopsignal',
  'healthcheck',
  'shell',
] as const;

/** An instruction without its location, for each kind separately. */
export type InstructionBody = Instruction extends infer I
  ? I extends Instruction
    ? Omit<I, 'range' | 'original'>
    : never
  : never;

/** Builds any instruction but FROM (stages are assembled by the parser). Throws `ProblemError`. */
export function buildInstruction(node: AstNode, ctx: BuildContext): Instruction {
  const located = { range: node.range, original: node.original };
  return { ...located, ...buildBody(node, ctx) } as Instruction;
}

function buildBody(node: AstNode, ctx: BuildContext): InstructionBody {
  const { keyword, rest } = node;
  if (keyword === 'run' || keyword === 'copy' || keyword === 'add' || keyword === 'healthcheck') {
    const flags = parseFlags(keyword, node.flags);
    if (keyword === 'run') return buildRun(node, flags, ctx);
    if (keyword === 'healthcheck') return buildHealthcheck(node, flags);
    return buildCopy(node, flags, ctx);
  }
  parseFlags(keyword, node.flags);
  const upper = keyword.toUpperCase();
  switch (keyword) {
    case 'env':
    case 'label': {
      const pairs = keyValuePairs(rest, upper, ctx);
      return keyword === 'env' ? { kind: 'ENV', pairs } : { kind: 'LABEL', pairs };
    }
    case 'arg':
      return { kind: 'ARG', args: argPairs(rest, ctx) };
    case 'workdir':
      return { kind: 'WORKDIR', path: oneWord(rest, upper, ctx) };
    case 'user':
      return { kind: 'USER', user: oneWord(rest, upper, ctx) };
    case 'stopsignal': {
      const signal = oneWord(rest, upper, ctx);
      if (ctx.x.active || !signal.includes('$')) check(() => validateSignal(signal));
      return { kind: 'STOPSIGNAL', signal };
    }
    case 'maintainer':
      if (rest === '') throw new ProblemError('BAD_ARGUMENT', 'MAINTAINER requires exactly one argument');
      ctx.warn('MaintainerDeprecated', 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors=…');
      return { kind: 'MAINTAINER', name: rest };
    case 'expose':
      return { kind: 'EXPOSE', ports: exposePorts(rest, ctx) };
    case 'volume': {
      const json = parseJsonArray(rest);
      const raw = json.ok ? json.values : splitFields(rest);
      if (raw.length === 0) throw new ProblemError('BAD_ARGUMENT', 'VOLUME requires at least one argument');
      const paths = raw.map((word) => ctx.x.word(word));
      if (paths.some((path) => path === '')) {
        throw new ProblemError('BAD_ARGUMENT', 'VOLUME specified can not be an empty string');
      }
      return { kind: 'VOLUME', paths };
    }
    case 'cmd':
    case 'entrypoint':
      return { kind: keyword === 'cmd' ? 'CMD' : 'ENTRYPOINT', command: commandForm(rest, upper, true) };
    case 'shell': {
      const json = parseJsonArray(rest);
      if (!json.ok) throw new ProblemError('BAD_ARGUMENT', 'SHELL requires the arguments to be in JSON form');
      if (json.values.length === 0) throw new ProblemError('BAD_ARGUMENT', 'SHELL requires at least one argument');
      return { kind: 'SHELL', argv: json.values };
    }
    case 'onbuild':
      return { kind: 'ONBUILD', trigger: onbuildTrigger(node) };
    default:
      throw new ProblemError('UNKNOWN_INSTRUCTION', unknownInstruction(node.keywordText), node.keywordText);
  }
}

function check(validate: () => void): void {
  try {
    validate();
  } catch (error) {
    throw new ProblemError('BAD_ARGUMENT', (error as Error).message);
  }
}

function oneWord(rest: string, upper: string, ctx: BuildContext): string {
  if (rest === '') throw new ProblemError('BAD_ARGUMENT', `${upper} requires exactly one argument`);
  return ctx.x.word(rest);
}

/** ENV and LABEL: `k=v k2="v 2"`, or the legacy `KEY value with spaces` (one pair, rest of the line). */
function keyValuePairs(rest: string, upper: string, ctx: BuildContext): Array<{ key: string; value: string }> {
  const words = splitQuotedWords(rest, ctx.escape);
  const first = words[0];
  if (first === undefined) throw new ProblemError('BAD_ARGUMENT', `${upper} requires at least one argument`);
  let raw: Array<[string, string]>;
  if (!first.includes('=')) {
    const parts = splitOnce(rest);
    if (parts.length < 2) throw new ProblemError('BAD_ARGUMENT', `${upper} must have two arguments`);
    ctx.warn(
      'LegacyKeyValueFormat',
      `"${upper} key=value" should be used instead of legacy "${upper} key value" format`,
    );
    raw = [parts as [string, string]];
  } else {
    raw = words.map((word) => {
      const eq = word.indexOf('=');
      if (eq < 0) {
        throw new ProblemError(
          'BAD_ARGUMENT',
          `Syntax error - can't find = in "${word}". Must be of the form: name=value`,
          word,
        );
      }
      return [word.slice(0, eq), word.slice(eq + 1)];
    });
  }
  return raw.map(([key, value]) => {
    const expandedKey = ctx.x.word(key);
    if (expandedKey === '') throw new ProblemError('BAD_ARGUMENT', `${upper} names can not be blank`);
    return { key: expandedKey, value: ctx.x.word(value) };
  });
}

/** ARG defaults stay unexpanded here: their scope rules (build args win, sequential) live in expand.ts. */
function argPairs(rest: string, ctx: BuildContext): Array<{ name: string; default?: string }> {
  const words = splitQuotedWords(rest, ctx.escape);
  if (words.length === 0) throw new ProblemError('BAD_ARGUMENT', 'ARG requires at least one argument');
  return words.map((word) => {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (name === '') throw new ProblemError('BAD_ARGUMENT', 'ARG names can not be blank', word);
    return eq < 0 ? { name } : { name, default: word.slice(eq + 1) };
  });
}

function exposePorts(rest: string, ctx: BuildContext): PortSpec[] {
  const specs = splitFields(rest);
  if (specs.length === 0) throw new ProblemError('BAD_ARGUMENT', 'EXPOSE requires at least one argument');
  const ports: PortSpec[] = [];
  for (const spec of specs) {
    // Before expansion a spec holding a variable has no number yet; resolution fills it in.
    if (!ctx.x.active && spec.includes('$')) continue;
    for (const word of ctx.x.words(spec)) {
      try {
        ports.push(parsePortSpec(word));
      } catch (error) {
        throw new ProblemError('BAD_ARGUMENT', (error as Error).message, spec);
      }
    }
  }
  return ports;
}

const NOT_TRIGGERS = new Set(['onbuild', 'from', 'maintainer']);

function onbuildTrigger(node: AstNode): string {
  const trigger = node.original.replace(/^\s*ONBUILD\s*/i, '');
  const inner = (/^\S+/.exec(node.rest)?.[0] ?? '').toLowerCase();
  if (inner === '') throw new ProblemError('BAD_ARGUMENT', 'ONBUILD requires at least one argument');
  if (inner === 'onbuild')
    throw new ProblemError('BAD_ARGUMENT', "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (NOT_TRIGGERS.has(inner)) {
    throw new ProblemError('BAD_ARGUMENT', `${inner.toUpperCase()} isn't allowed as an ONBUILD trigger`);
  }
  return trigger;
}

export function unknownInstruction(word: string): string {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of INSTRUCTION_NAMES) {
    const distance = editDistance(lower, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return `unknown instruction: ${word}` + (best ? ` (did you mean ${best.toUpperCase()}?)` : '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
