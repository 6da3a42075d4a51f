/**
 * The gate a build passes before anything runs: lint the Dockerfile under the repository's policy and say
 * whether the build may go on. The build service calls this first, as step #0 (builds/policy-gate.ts; see
 * docs/policy.md). It blocks on an error-severity finding of a rule in enforce mode, and on a policy file
 * that does not load: a broken policy must not quietly turn into no policy.
 */
import type { Diagnostic } from '../../../src-shared/contract/definitions';
import type { Finding } from '../../../src-shared/contract/policy';
import { lintFile } from './lint';
import type { LoadedPolicy } from './load';
import type { Policy } from './schema';

export interface BuildCheck {
  blocked: boolean;
  findings: Finding[];
  /** The findings that block (enforce-mode errors). */
  blocking: Finding[];
  /** Problems of the policy file; any error among them blocks. */
  policyDiagnostics: Diagnostic[];
  /** Policy fields not enforced yet (scanning); image.maxSize is checked after the build. */
  pending: string[];
  /** Policy fields a push checks rather than the build (signing.required), so the build's log can say so. */
  atPush: string[];
}

export function isBlocking(f: Finding): boolean {
  return f.severity === 'error' && f.mode === 'enforce';
}

export function checkBeforeBuild(
  dockerfile: { path: string; content: string },
  policy: Policy | LoadedPolicy,
): BuildCheck {
  const loaded: LoadedPolicy = 'policy' in policy ? policy : { policy, kind: 'file', path: '', diagnostics: [] };
  const { findings } = lintFile(dockerfile.path, dockerfile.content, loaded.policy, 'dockerfile');
  const blocking = findings.filter(isBlocking);
  const policyBroken = loaded.kind === 'invalid';
  const p = loaded.policy;
  const pending = [
    ...(p.scanning.required || Object.values(p.scanning.vulnerabilities).some((v) => v !== null) ? ['scanning'] : []),
  ];
  return {
    blocked: blocking.length > 0 || policyBroken,
    findings,
    blocking,
    policyDiagnostics: loaded.diagnostics,
    pending,
    atPush: p.signing.required ? ['signing.required'] : [],
  };
}
