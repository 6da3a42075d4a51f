/**
 * The policy step every build starts with (`#0 POLICY`): the Dockerfile is linted under the repository's
 * `.govc/policy.yaml` (at the commit being built) before any step runs. An error of a rule in enforce mode,
 * or a policy file that does not load, stops the build there: a broken policy must not become no policy.
 */
import { POLICY_PATH } from '../../../src-shared/contract/policy';
import { GovcError } from '../../../src-shared/errors';
import type { GitTree } from '../build/context/git-source';
import type { BuildEvent } from '../build/execute/events';
import { checkBeforeBuild, loadPolicy, type BuildCheck } from '../policy';

/** The step's id in the build's events: the engine numbers its own steps from 1. */
export const POLICY_STEP_ID = 0;

export async function checkPolicy(tree: GitTree, dockerfilePath: string, dockerfileText: string): Promise<BuildCheck> {
  const entry = tree.files.get(POLICY_PATH);
  const text = entry ? (await tree.readBlob(entry.oid)).toString('utf8') : undefined;
  return checkBeforeBuild({ path: dockerfilePath, content: dockerfileText }, loadPolicy(text, POLICY_PATH));
}

function reportLines(check: BuildCheck): string[] {
  const lines = check.policyDiagnostics.map((d) => `${POLICY_PATH}:${d.range.start.line}: ${d.severity}: ${d.message}`);
  for (const f of check.findings) {
    const blocks = check.blocking.includes(f) ? ' (blocks the build)' : '';
    lines.push(`line ${f.range.start.line}: ${f.severity} ${f.ruleId}: ${f.message}${blocks}`);
  }
  for (const field of check.pending) lines.push(`${field}: set in the policy, not enforced yet`);
  lines.push(check.blocked ? 'policy: the build is blocked' : `policy: passed (${check.findings.length} finding(s))`);
  return lines;
}

/**
 * Runs the policy step through the same event path as the engine's steps, so the timeline, the log and
 * the record show it like any other step. Throws POLICY_BLOCKED when the build may not go on.
 */
export async function runPolicyStep(
  tree: GitTree,
  dockerfilePath: string,
  dockerfileText: string,
  onEvent: (event: BuildEvent) => void,
  announce: (check: BuildCheck) => void = () => undefined,
): Promise<void> {
  const id = POLICY_STEP_ID;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  onEvent({ type: 'step', id, stage: 'policy', position: 0, total: 0, text: `POLICY ${POLICY_PATH}` });
  const check = await checkPolicy(tree, dockerfilePath, dockerfileText);
  onEvent({ type: 'output', id, stream: 'stdout', text: `${reportLines(check).join('\n')}\n` });
  announce(check);
  if (!check.blocked) {
    onEvent({ type: 'done', id, seconds: seconds() });
    return;
  }
  const first = check.blocking[0];
  const why = first
    ? `${first.ruleId} at line ${first.range.start.line}: ${first.message}`
    : `${POLICY_PATH} does not load: ${check.policyDiagnostics[0]?.message ?? 'invalid'}`;
  onEvent({ type: 'failed', id, seconds: seconds(), message: why });
  throw new GovcError('POLICY_BLOCKED', `The repository's policy blocks this build: ${why}`, {
    blocking: check.blocking.map((f) => ({ rule: f.ruleId, line: f.range.start.line, message: f.message })),
  });
}
