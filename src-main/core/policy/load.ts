/**
 * Reading a policy file: YAML → schema check → the effective policy. Every problem is a diagnostic located
 * in the file. A file with errors yields the defaults, marked invalid: the caller decides what that means
 * (the build check fails closed, see check.ts).
 */
import type { Diagnostic } from '../../../src-shared/contract/definitions';
import { POLICY_PATH, type EnforcementNote } from '../../../src-shared/contract/policy';
import type { z } from 'zod';
import { parseYaml, pathRange } from '../definitions/yaml-text';
import { RULE_DEFAULTS, ruleById } from './rules';
import { defaultPolicy, mergePolicy, PolicyFile, type Policy } from './schema';

export interface LoadedPolicy {
  policy: Policy;
  kind: 'file' | 'defaults' | 'invalid';
  path: string;
  diagnostics: Diagnostic[];
}

export function defaults(): Policy {
  return defaultPolicy(RULE_DEFAULTS);
}

/** `text` undefined: there is no policy file, and the defaults apply. */
export function loadPolicy(text: string | undefined, path = POLICY_PATH): LoadedPolicy {
  if (text === undefined) return { policy: defaults(), kind: 'defaults', path, diagnostics: [] };
  const y = parseYaml(text);
  const diagnostics: Diagnostic[] = y.diagnostics.map((d) => ({ ...d, file: path }));
  const docs = y.docs.filter((d) => d.value !== undefined && d.value !== null);
  if (diagnostics.some((d) => d.severity === 'error')) return invalid(path, diagnostics);
  if (docs.length !== 1) {
    const message =
      docs.length === 0
        ? 'The policy file is empty: write at least `version: 1`'
        : 'A policy file holds one YAML document';
    diagnostics.push(
      diag('error', message, { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, 'policy/document', path),
    );
    return invalid(path, diagnostics);
  }
  const doc = docs[0]!;
  const parsed = PolicyFile.safeParse(doc.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(issueDiagnostic(issue, y, doc.doc, path));
    return invalid(path, diagnostics);
  }
  for (const id of Object.keys(parsed.data.rules ?? {})) {
    if (!ruleById(id)) {
      const range = pathRange(y, doc.doc, ['rules', id]);
      diagnostics.push(
        diag('warning', `There is no rule ${id}; the setting has no effect`, range, 'policy/unknown-rule', path),
      );
    }
  }
  return { policy: mergePolicy(defaults(), parsed.data), kind: 'file', path, diagnostics };
}

function invalid(path: string, diagnostics: Diagnostic[]): LoadedPolicy {
  return { policy: defaults(), kind: 'invalid', path, diagnostics };
}

function issueDiagnostic(
  issue: z.core.$ZodIssue,
  y: ReturnType<typeof parseYaml>,
  doc: Parameters<typeof pathRange>[1],
  path: string,
): Diagnostic {
  const at = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // An unknown key is reported on its parent; point at the key itself.
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const range = pathRange(y, doc, keys.length > 0 ? [...at, keys[0]!] : at);
  const where = at.length > 0 ? `${at.join('.')}: ` : '';
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`
      : issue.message;
  return diag('error', `${where}${message}`, range, 'policy/schema', path);
}

function diag(
  severity: Diagnostic['severity'],
  message: string,
  range: Diagnostic['range'],
  rule: string,
  file: string,
): Diagnostic {
  return { severity, message, range, rule, source: 'govc', file };
}

/** What the engine can act on today, and what waits for the build, signing and scanning services. */
export function enforcement(policy: Policy): EnforcementNote[] {
  const v = policy.scanning.vulnerabilities;
  const thresholds = (['critical', 'high', 'medium', 'low'] as const).filter((k) => v[k] !== null);
  return [
    {
      field: 'rules',
      status: 'enforced',
      note: 'Lint rules run on every definition; enforce-mode errors block builds.',
    },
    {
      field: 'baseImages',
      status: 'enforced',
      note:
        policy.baseImages.allowed.length > 0 || policy.baseImages.requireDigest
          ? 'FROM lines are checked against the allowed images (GV1004) and for digests (GV1005); after a build, ' +
            'the bases it resolved (with its arguments, by digest) are checked again (GV1004).'
          : 'No restriction is set.',
    },
    {
      field: 'packages.prohibited',
      status: 'enforced',
      note:
        policy.packages.prohibited.length > 0 ? 'Installs in RUN are checked (GV1051).' : 'No package is prohibited.',
    },
    {
      field: 'signing.required',
      status: 'enforced',
      note: policy.signing.required
        ? `Pushes of images built here need a signature by ${
            policy.signing.keys.length === 0
              ? "the engine's own key"
              : `one of ${policy.signing.keys.length} listed keys`
          } (images.sign).`
        : 'Not required: pushes are not checked for signatures.',
    },
    {
      field: 'scanning',
      status: 'pending',
      note:
        policy.scanning.required || thresholds.length > 0
          ? `Enforced once scanning exists (thresholds: ${thresholds.map((k) => `${k} ≤ ${v[k]}`).join(', ') || 'none'}).`
          : 'Not required.',
    },
    {
      field: 'image.maxSize',
      status: 'enforced',
      note:
        policy.image.maxSize === null
          ? 'No limit.'
          : `${policy.image.maxSize} bytes; checked on each built image (the last policy step of a build).`,
    },
  ];
}
