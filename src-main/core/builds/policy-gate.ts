/**
 * The policy step every build starts with (`#0 POLICY`): the Dockerfile is linted under the repository's
 * `.govc/policy.yaml` (at the commit being built) before any step runs. An error of a rule in enforce mode,
 * or a policy file that does not load, stops the build there: a broken policy must not become no policy.
 */
import { POLICY_PATH } from '../../../src-shared/contract/policy';
import { GovcError } from '../../../src-shared/errors';
import type { GitTree } from '../build/context/git-source';
import type { BuildEvent } from '../build/execute/events';
import type { ContentStore } from '../build/store/content-store';
import {
  checkBeforeBuild,
  checkBuiltImage,
  loadPolicy,
  readImageFacts,
  type BuildCheck,
  type ImageCheck,
  type LoadedPolicy,
} from '../policy';

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
  for (const field of check.atPush) lines.push(`${field}: checked when the image is pushed (sign it with govc sign)`);
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

export interface BuiltImage {
  store: ContentStore;
  digest: string;
  size: number;
  dockerfile: { path: string; text: string };
  args: Record<string, string>;
  target: string | null;
}

/** The image checks under a policy: facts read from the store, then judged. Shared by builds and pushes. */
export async function checkImage(image: BuiltImage, policy: LoadedPolicy['policy']): Promise<ImageCheck> {
  const facts = await readImageFacts(image.store, image.digest, {
    dockerfile: image.dockerfile.text,
    args: image.args,
    target: image.target,
  });
  return checkBuiltImage({ facts, size: image.size, dockerfile: image.dockerfile }, policy);
}

export function imageReport(check: ImageCheck): string[] {
  const lines = [...check.notes];
  const { bytes, max, over, blocks } = check.size;
  if (max !== null) {
    const verdict = `image size ${formatBytes(bytes)}, policy maximum ${formatBytes(max)}: ${over ? 'over' : 'within'}`;
    lines.push(`${verdict}${over && !blocks ? ' (warn mode)' : ''}`);
  }
  for (const f of check.findings) {
    const blocks = check.blocking.includes(f) ? ' (blocks the build)' : '';
    lines.push(`line ${f.range.start.line}: ${f.severity} ${f.ruleId}: ${f.message}${blocks}`);
  }
  for (const f of check.suppressed) lines.push(`line ${f.range.start.line}: suppressed ${f.ruleId}: ${f.message}`);
  return lines;
}

/** Why an image check blocks, in one line, and as the error's details. */
export function imageBlocked(check: ImageCheck): GovcError {
  const first = check.blocking[0];
  const { bytes, max } = check.size;
  const why = first
    ? `${first.ruleId} at line ${first.range.start.line}: ${first.message}`
    : `The image is ${formatBytes(bytes)}, above the policy's image.maxSize of ${formatBytes(max ?? 0)}`;
  return new GovcError('POLICY_BLOCKED', why, {
    blocking: check.blocking.map((f) => ({ rule: f.ruleId, line: f.range.start.line, message: f.message })),
    ...(check.size.blocks ? { size: bytes, max } : {}),
  });
}

/**
 * The checks on the built image, as a last policy step (`POLICY image`): its user, exposed ports, resolved
 * bases and size. Runs when the repository has a policy file; without one the defaults judge the Dockerfile
 * only. A blocking finding fails the build with POLICY_BLOCKED (the caller removes the tags it was given).
 */
export async function runImagePolicyStep(
  id: number,
  loaded: LoadedPolicy,
  image: BuiltImage,
  onEvent: (event: BuildEvent) => void,
): Promise<void> {
  if (loaded.kind === 'defaults') return;
  onEvent({ type: 'step', id, stage: 'policy', position: 0, total: 0, text: 'POLICY image' });
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const check = await checkImage(image, loaded.policy);
  const verdict = check.blocked
    ? 'policy: the image is blocked'
    : `policy: image passed (${check.findings.length} finding(s))`;
  onEvent({ type: 'output', id, stream: 'stdout', text: `${[...imageReport(check), verdict].join('\n')}\n` });
  if (!check.blocked) {
    onEvent({ type: 'done', id, seconds: seconds() });
    return;
  }
  const error = imageBlocked(check);
  onEvent({ type: 'failed', id, seconds: seconds(), message: error.message });
  throw error;
}
