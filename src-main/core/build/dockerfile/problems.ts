/**
 * Located errors and lint-style warnings. Errors use the fixed codes of `DockerfileProblem`; warnings are
 * rules as data (a name, what they mean, and a message), named as BuildKit's checks are so users can look
 * them up.
 */
import type { DockerfileProblem, SourceRange } from './types';

export type ProblemCode = DockerfileProblem['code'];

export function problem(code: ProblemCode, message: string, range: SourceRange): DockerfileProblem {
  return { code, message, range };
}

/** Thrown inside the frontend and turned into a `DockerfileProblem` at the instruction boundary. */
export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    /** Text on the instruction's lines to point at, e.g. the offending flag; else the whole instruction. */
    readonly near?: string,
  ) {
    super(message);
    this.name = 'ProblemError';
  }
}

export const WARNING_RULES = {
  NoEmptyContinuation: 'Empty continuation lines will become errors in a future release',
  MaintainerDeprecated: 'The MAINTAINER instruction is deprecated, use a label instead to define an image author',
  LegacyKeyValueFormat: 'Legacy key/value format with whitespace separator should not be used',
  ReservedStageName: 'Reserved words should not be used as stage names',
  UnusedBuildArg: 'Build arguments given on the command line were not consumed by any ARG',
  UndefinedVar: 'Variables should be defined before their use',
} as const;

export type WarningRule = keyof typeof WARNING_RULES;

export interface DockerfileWarning {
  rule: WarningRule;
  message: string;
  range: SourceRange;
}

export function lineRange(line: number, text: string): SourceRange {
  const start = text.length - text.trimStart().length;
  return { startLine: line, startColumn: start + 1, endLine: line, endColumn: Math.max(text.length, 1) };
}

/** The range of `near` on the node's physical lines, or the whole node's range. */
export function locate(lines: Array<{ line: number; text: string }>, whole: SourceRange, near?: string): SourceRange {
  if (near) {
    for (const { line, text } of lines) {
      const index = text.indexOf(near);
      if (index >= 0) {
        return { startLine: line, startColumn: index + 1, endLine: line, endColumn: index + near.length };
      }
    }
  }
  return whole;
}
