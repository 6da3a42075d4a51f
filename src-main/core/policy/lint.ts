/**
 * Linting one file: detect what it is, parse it, run the rules for its kind, then apply the policy
 * (severity, mode, rules turned off) and the file's suppression comments.
 */
import type { Finding, SuppressedFinding } from '../../../src-shared/contract/policy';
import { parseDockerfile, type ParseResult } from '../build/dockerfile';
import { classifyName, kubernetesContent } from '../definitions/detect';
import { parseYaml } from '../definitions/yaml-text';
import { rulesFor, SYNTAX_RULE } from './rules';
import type { Policy } from './schema';
import { parseSuppressions, suppressionFor } from './suppress';
import { fromDockerfile, splitLines } from './text';
import { formatMessage, type InputOf, type LintKind, type RawFinding, type RuleMeta } from './types';

export interface LintResult {
  path: string;
  kind: LintKind;
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

/** What a path and its content are, by the definitions' detection: name first, YAML by content. */
export function detectKind(path: string, content: string): LintKind | undefined {
  const cls = classifyName(path);
  if (cls === 'dockerfile' || cls === 'compose' || cls === 'kustomize') return cls;
  if (cls === 'yaml' && kubernetesContent(content)) return 'kubernetes';
  return undefined;
}

/** For a file named explicitly whose name says nothing: a Dockerfile's first instruction, a compose `services:`. */
export function sniffKind(content: string): LintKind | undefined {
  const first = content.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (first && /^\s*(?:FROM|ARG)\s+\S/i.test(first)) return 'dockerfile';
  if (kubernetesContent(content)) return 'kubernetes';
  if (/^services\s*:/m.test(content)) return 'compose';
  return undefined;
}

export function lintFile(path: string, content: string, policy: Policy, kind: LintKind): LintResult {
  const lines = splitLines(content);
  const raw: Array<{ rule: RuleMeta; finding: RawFinding }> = [];
  const setting = (rule: RuleMeta) => policy.rules[rule.id] ?? { severity: rule.severity, mode: policy.mode };
  const run = <K extends LintKind>(k: K, input: InputOf<K>) => {
    for (const rule of rulesFor(k)) {
      if (setting(rule).severity === 'off') continue;
      rule.check(input, (finding) => raw.push({ rule, finding }));
    }
  };
  if (kind === 'dockerfile') {
    const parsed = parseDockerfileSafely(content);
    if (parsed instanceof Error) {
      const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
      const message = `the Dockerfile parser failed: ${parsed.message}`;
      raw.push({ rule: SYNTAX_RULE, finding: { range, params: { message } } });
    } else {
      for (const p of parsed.problems) {
        raw.push({ rule: SYNTAX_RULE, finding: { range: fromDockerfile(p.range), params: { message: p.message } } });
      }
      run('dockerfile', { path, text: content, lines, parsed, policy });
    }
  } else {
    const yaml = parseYaml(content);
    for (const d of yaml.diagnostics) {
      if (d.severity === 'error')
        raw.push({ rule: SYNTAX_RULE, finding: { range: d.range, params: { message: d.message } } });
    }
    run(kind, { path, text: content, yaml, policy });
  }
  // A specific rule that explains a parse error (GV1063 on a bad EXPOSE) replaces the parser's message.
  const explained = new Set(
    raw
      .filter((r) => r.rule !== SYNTAX_RULE)
      .map((r) => `${r.finding.range.start.line}:${r.finding.range.start.column}`),
  );
  const kept = raw.filter(
    (r) => r.rule !== SYNTAX_RULE || !explained.has(`${r.finding.range.start.line}:${r.finding.range.start.column}`),
  );
  const suppressions = parseSuppressions(lines);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const { rule, finding } of kept) {
    const { severity, mode } = setting(rule);
    if (severity === 'off') continue;
    const out: Finding = {
      ruleId: rule.id,
      severity,
      mode,
      message: formatMessage(rule.message, finding.params),
      range: finding.range,
      ...(finding.fix ? { fix: finding.fix } : {}),
    };
    const s = suppressionFor(suppressions, lines, rule.id, finding);
    if (s) suppressed.push({ ...out, reason: s.reason });
    else findings.push(out);
  }
  return { path, kind, findings: findings.sort(byPosition), suppressed: suppressed.sort(byPosition) };
}

/**
 * The frontend is meant to turn every input into located problems, but a lint run over a whole repository
 * must not die with it when it does not (a line holding only the escape character made it throw): that
 * becomes a GV0001 finding instead.
 */
function parseDockerfileSafely(content: string): ParseResult | Error {
  try {
    return parseDockerfile(content);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * The findings for one definition under a policy. A path that is no Dockerfile, Compose file or
 * Kubernetes manifest (by name, then content) has none.
 */
export function lintDefinition(path: string, content: string, policy: Policy): Finding[] {
  const kind = detectKind(path, content);
  return kind === undefined ? [] : lintFile(path, content, policy, kind).findings;
}

function byPosition(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

export function countBySeverity(findings: readonly Finding[]): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
