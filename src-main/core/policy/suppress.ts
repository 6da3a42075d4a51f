/**
 * Suppression comments. `# govc-ignore GV1001 reason` on a finding's line, or on the comment lines
 * directly above it (or above the instruction it belongs to), silences those rules there;
 * `# govc-ignore-file GV1001 reason` anywhere silences them in the whole file. Several ids may be given,
 * separated by spaces or commas. The same syntax works in Dockerfiles and YAML.
 */
import type { RawFinding } from './types';

const DIRECTIVE = /#\s*govc-ignore(-file)?((?:[\s,]+GV\d{4})+)(?:\s+(.*))?$/;

export interface Suppressions {
  file: Map<string, string | null>;
  lines: Map<number, Map<string, string | null>>;
}

export function parseSuppressions(lines: readonly string[]): Suppressions {
  const out: Suppressions = { file: new Map(), lines: new Map() };
  lines.forEach((text, i) => {
    const m = DIRECTIVE.exec(text);
    if (!m) return;
    const ids = m[2]!.split(/[\s,]+/).filter(Boolean);
    const reason = m[3]?.trim() || null;
    const target = m[1] ? out.file : (out.lines.get(i + 1) ?? new Map<string, string | null>());
    for (const id of ids) target.set(id, reason);
    if (!m[1]) out.lines.set(i + 1, target);
  });
  return out;
}

const COMMENT_ONLY = /^\s*#/;

/** The suppression that covers a finding of `ruleId`, if any: `{reason}` (null when none was given). */
export function suppressionFor(
  s: Suppressions,
  lines: readonly string[],
  ruleId: string,
  finding: Pick<RawFinding, 'range' | 'anchors'>,
): { reason: string | null } | undefined {
  if (s.file.has(ruleId)) return { reason: s.file.get(ruleId)! };
  const targets = new Set([finding.range.start.line, ...(finding.anchors ?? [])]);
  for (const target of targets) {
    const own = s.lines.get(target);
    if (own?.has(ruleId)) return { reason: own.get(ruleId)! };
    for (let l = target - 1; l >= 1 && COMMENT_ONLY.test(lines[l - 1] ?? ''); l--) {
      const above = s.lines.get(l);
      if (above?.has(ruleId)) return { reason: above.get(ruleId)! };
    }
  }
  return undefined;
}
