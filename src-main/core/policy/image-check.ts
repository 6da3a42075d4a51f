/**
 * The policy's checks on a built image, beside the Dockerfile's: what the image really runs as, the ports
 * its config exposes, the bases the build resolved, and its size. A Dockerfile rule cannot see a user or a
 * port inherited from the base, nor a FROM whose image comes from a build argument; the image can.
 *
 * Findings reuse the Dockerfile rules' ids (GV1010 root user, GV1063 invalid port, GV1004 base not allowed),
 * so one policy setting, and one suppression comment, governs both the Dockerfile and its image. They point
 * at the Dockerfile line they come from: the stage's FROM for the user and ports, each base's FROM line.
 */
import type { Finding, SuppressedFinding } from '../../../src-shared/contract/policy';
import { isBlocking } from './check';
import type { ImageFacts, ResolvedBase } from './image-facts';
import { imageMatches, parseImageRef } from './image-ref';
import { lintFile } from './lint';
import { ruleById } from './rules';
import type { Policy } from './schema';
import { parseSuppressions, suppressionFor } from './suppress';
import { lineSpan, splitLines } from './text';

export interface ImageCheck {
  blocked: boolean;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  blocking: Finding[];
  /** Size against image.maxSize; over it blocks in the policy's enforce mode. */
  size: { bytes: number; max: number | null; over: boolean; blocks: boolean };
  /** What was checked, for the step's log: every base with its digest, the user, the ports. */
  notes: string[];
}

export interface ImageCheckInput {
  facts: ImageFacts;
  size: number;
  dockerfile: { path: string; text: string };
}

const PORT = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i;

export function checkBuiltImage(input: ImageCheckInput, policy: Policy): ImageCheck {
  const { facts } = input;
  const lines = splitLines(input.dockerfile.text);
  const suppressions = parseSuppressions(lines);
  // A Dockerfile finding the author suppressed covers the same fact seen on the image.
  const acknowledged = lintFile(input.dockerfile.path, input.dockerfile.text, policy, 'dockerfile').suppressed;
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const notes: string[] = [];

  const report = (ruleId: string, line: number, message: string): void => {
    const rule = ruleById(ruleId)!;
    const setting = policy.rules[ruleId] ?? { severity: rule.severity, mode: policy.mode };
    if (setting.severity === 'off') return;
    const range = lineSpan(line, 1, Math.max(lines[line - 1]?.length ?? 1, 1));
    const finding: Finding = { ruleId, severity: setting.severity, mode: setting.mode, message, range };
    const own = suppressionFor(suppressions, lines, ruleId, { range, anchors: [line] });
    const earlier = acknowledged.find(
      (f) => f.ruleId === ruleId && (ruleId === 'GV1010' || f.range.start.line === line),
    );
    if (own) suppressed.push({ ...finding, reason: own.reason });
    else if (earlier) suppressed.push({ ...finding, reason: earlier.reason });
    else findings.push(finding);
  };

  const shown = facts.user === '' ? 'unset (root)' : `"${facts.user}"`;
  notes.push(`user ${shown}: uid ${facts.uid ?? "unknown (not in the image's /etc/passwd)"}`);
  if (facts.uid === 0) report('GV1010', facts.targetLine, `The built image runs as root (user ${shown})`);

  notes.push(`exposed ports: ${facts.ports.length > 0 ? facts.ports.join(', ') : 'none'}`);
  for (const port of facts.ports) {
    const m = PORT.exec(port);
    const number = m ? Number(m[1]) : 0;
    if (number < 1 || number > 65535)
      report('GV1063', facts.targetLine, `The built image exposes ${port}, which is not a valid port/protocol`);
  }

  const allowed = policy.baseImages.allowed;
  for (const base of facts.bases) {
    notes.push(`base ${describeBase(base)}`);
    if (allowed.length === 0) continue;
    const ref = parseImageRef(base.ref);
    const resolved = ref && { ...ref, ...(base.digest === null ? {} : { digest: base.digest }) };
    if (!resolved || !allowed.some((p) => imageMatches(resolved, p))) {
      const at = base.digest === null ? 'digest unknown' : base.digest;
      report(
        'GV1004',
        base.line,
        `The build resolved FROM ${base.ref} (${at}), which matches none of the allowed base images: ${allowed.join(', ')}`,
      );
    }
  }

  const max = policy.image.maxSize;
  const over = max !== null && input.size > max;
  const size = { bytes: input.size, max, over, blocks: over && policy.mode === 'enforce' };
  const blocking = findings.filter(isBlocking);
  return { blocked: blocking.length > 0 || size.blocks, findings, suppressed, blocking, size, notes };
}

function describeBase(base: ResolvedBase): string {
  const digest = base.digest ?? 'not in the store: digest unknown';
  const role = base.final ? (base.verified ? ', the image is built on it' : ', NOT found under the image') : '';
  return `${base.ref} (stage ${base.stage}, line ${base.line}): ${digest}${role}`;
}
