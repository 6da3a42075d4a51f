/**
 * The policy step every build starts with (`#0 POLICY`): the Dockerfile is linted under the repository's
 * `.govc/policy.yaml` (at the commit being built) before any step runs. An error of a rule in enforce mode,
 * or a policy file that does not load, stops the build there: a broken policy must not become no policy.
 */
import { POLICY_PATH } from '../../../src-shared/contract/policy';
import { GovcError } from '../../../src-shared/errors';
import type { GitTree } from '../build/context/git-source';
import type { BuildEvent } from '../build/execute/events';
import { checkBeforeBuild, loadPolicy, type BuildCheck, type LoadedPolicy } from '../policy';

/** The step's id in the build's events: the engine numbers its own steps from 1. */
export const POLICY_STEP_ID = 0;

export async function readTreePolicy(tree: GitTree): Promise<LoadedPolicy> {
  const entry = tree.files.get(POLICY_PATH);
  const text = entry ? (await tree.readBlob(entry.oid)).toString('utf8') : undefined;
  return loadPolicy(text, POLICY_PATH);
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
): Promise<LoadedPolicy> {
  const id = POLICY_STEP_ID;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  onEvent({ type: 'step', id, stage: 'policy', position: 0, total: 0, text: `POLICY ${POLICY_PATH}` });
  const loaded = await readTreePolicy(tree);
  const check = checkBeforeBuild({ path: dockerfilePath, content: dockerfileText }, loaded);
  onEvent({ type: 'output', id, stream: 'stdout', text: `${reportLines(check).join('\n')}\n` });
  announce(check);
  if (!check.blocked) {
    onEvent({ type: 'done', id, seconds: seconds() });
    return loaded;
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

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/**
 * The check on the built image, as a last policy step: its size against `image.maxSize`. In enforce mode an
 * image over the limit fails the build with POLICY_BLOCKED (the caller removes the tags it was given).
 */
export function runImagePolicyStep(
  id: number,
  loaded: LoadedPolicy,
  imageSize: number,
  onEvent: (event: BuildEvent) => void,
): void {
  const max = loaded.policy.image.maxSize;
  if (max === null || max === undefined) return;
  onEvent({ type: 'step', id, stage: 'policy', position: 0, total: 0, text: 'POLICY image' });
  const over = imageSize > max;
  const verdict = `image size ${formatBytes(imageSize)}, policy maximum ${formatBytes(max)}: ${over ? 'over' : 'within'}`;
  const enforce = loaded.policy.mode === 'enforce';
  onEvent({ type: 'output', id, stream: 'stdout', text: `${verdict}${over && !enforce ? ' (warn mode)' : ''}\n` });
  if (!over || !enforce) {
    onEvent({ type: 'done', id, seconds: 0 });
    return;
  }
  const message = `The image is ${formatBytes(imageSize)}, above the policy's image.maxSize of ${formatBytes(max)}`;
  onEvent({ type: 'failed', id, seconds: 0, message });
  throw new GovcError('POLICY_BLOCKED', message, { size: imageSize, max });
}
