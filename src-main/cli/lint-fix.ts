/**
 * `govc lint --fix`: the rules' own fixes (the editor's quick fixes) applied to a file until none is left.
 * Fixes are applied one at a time and the file linted again after each, because a fix's ranges are for the
 * text it was computed on. A fix that would make the file parse worse is undone and not tried again.
 */
import type { Finding } from '../../src-shared/contract/policy';
import { applyFix, lintFile, type LintKind, type LintResult, type Policy } from '../core/policy';

export interface AppliedFix {
  path: string;
  ruleId: string;
  line: number;
  column: number;
  description: string;
}

export interface FixOutcome {
  content: string;
  applied: AppliedFix[];
  /** The lint of the final content: what remains. */
  result: LintResult;
}

/** Enough for every fixable finding of a large file; a fix that keeps reappearing cannot loop forever. */
const MAX_FIXES = 500;

export function fixFile(path: string, original: string, policy: Policy, kind: LintKind): FixOutcome {
  const crlf = original.includes('\r\n');
  let text = original;
  let result = lintFile(path, text, policy, kind);
  const applied: AppliedFix[] = [];
  const refused = new Set<string>();
  const key = (f: Finding) => `${f.ruleId}:${f.range.start.line}:${f.range.start.column}:${f.fix!.description}`;
  for (let i = 0; i < MAX_FIXES; i++) {
    const next = result.findings.find((f) => f.fix && !refused.has(key(f)));
    if (!next) break;
    const candidate = applyFix(text, next.fix!);
    const after = lintFile(path, candidate, policy, kind);
    if (candidate === text.replace(/\r\n?/g, '\n') || syntaxErrors(after) > syntaxErrors(result)) {
      refused.add(key(next));
      continue;
    }
    applied.push({
      path,
      ruleId: next.ruleId,
      line: next.range.start.line,
      column: next.range.start.column,
      description: next.fix!.description,
    });
    text = candidate;
    result = after;
  }
  // applyFix works on LF text; a CRLF file stays CRLF.
  const content = applied.length === 0 ? original : crlf ? text.replace(/\r?\n/g, '\r\n') : text;
  return { content, applied, result };
}

function syntaxErrors(r: LintResult): number {
  return r.findings.filter((f) => f.ruleId === 'GV0001').length;
}
