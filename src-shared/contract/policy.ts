/**
 * Policies and lint findings: a repository's `.govc/policy.yaml` (merged with the defaults) and what its
 * rules find in the repository's Dockerfiles, Compose files and Kubernetes manifests. Ranges use the
 * definitions' convention: 1-based, `end` just past the last character.
 */
import { z } from 'zod';
import { defineRequest } from './define';
import { DefinitionType, Diagnostic, SourceRange } from './definitions';

export const POLICY_PATH = '.govc/policy.yaml';

export const FindingSeverity = z.enum(['error', 'warning', 'info']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;
export const RuleSeverity = z.enum(['error', 'warning', 'info', 'off']);
export type RuleSeverity = z.infer<typeof RuleSeverity>;
/** `enforce`: an error blocks a build; `warn`: it is reported and the build goes on. */
export const PolicyMode = z.enum(['enforce', 'warn']);
export type PolicyMode = z.infer<typeof PolicyMode>;

export const TextEdit = z.object({ range: SourceRange, text: z.string() });
export type TextEdit = z.infer<typeof TextEdit>;

/** Only offered where applying it cannot change what the build means beyond the rule's point. */
export const Fix = z.object({ description: z.string(), edits: z.array(TextEdit) });
export type Fix = z.infer<typeof Fix>;

export const Finding = z.object({
  ruleId: z.string(),
  severity: FindingSeverity,
  mode: PolicyMode,
  message: z.string(),
  range: SourceRange,
  fix: Fix.optional(),
});
export type Finding = z.infer<typeof Finding>;

export const SuppressedFinding = Finding.extend({ reason: z.string().nullable() });
export type SuppressedFinding = z.infer<typeof SuppressedFinding>;

export const RuleSetting = z.object({ severity: RuleSeverity, mode: PolicyMode });

export const EnforcementNote = z.object({
  /** The policy field, e.g. `scanning.vulnerabilities`. */
  field: z.string(),
  status: z.enum(['enforced', 'pending']),
  note: z.string(),
});
export type EnforcementNote = z.infer<typeof EnforcementNote>;

export const PolicySource = z.object({
  /** `file`: read from the repository; `defaults`: there is none; `invalid`: there is one with errors. */
  kind: z.enum(['file', 'defaults', 'invalid']),
  path: z.string(),
  ref: z.string().nullable(),
});

const Bytes = z.number().int().nonnegative();
const MaxCount = z.number().int().nonnegative().nullable();

export const EffectivePolicy = z.object({
  version: z.literal(1),
  mode: PolicyMode,
  rules: z.record(z.string(), RuleSetting),
  baseImages: z.object({ allowed: z.array(z.string()), requireDigest: z.boolean() }),
  packages: z.object({ prohibited: z.array(z.string()) }),
  /** `keys`: trusted public keys (PEM) or key ids; empty = the engine's own key (docs/policy.md, Signing). */
  signing: z.object({ required: z.boolean(), keys: z.array(z.string()) }),
  scanning: z.object({
    required: z.boolean(),
    vulnerabilities: z.object({ critical: MaxCount, high: MaxCount, medium: MaxCount, low: MaxCount }),
  }),
  image: z.object({ maxSize: Bytes.nullable() }),
});
export type EffectivePolicy = z.infer<typeof EffectivePolicy>;

const PolicyResponse = z.object({
  source: PolicySource,
  policy: EffectivePolicy,
  /** Problems in the policy file, located in it; an invalid file falls back to the defaults and blocks builds. */
  diagnostics: z.array(Diagnostic),
  enforcement: z.array(EnforcementNote),
});

export const Counts = z.object({ error: z.number(), warning: z.number(), info: z.number() });
export type Counts = z.infer<typeof Counts>;

export const DefinitionReport = z.object({
  path: z.string(),
  type: DefinitionType,
  findings: z.array(Finding),
  suppressed: z.array(SuppressedFinding),
  counts: Counts,
});
export type DefinitionReport = z.infer<typeof DefinitionReport>;

const repo = z.string().min(1).max(64);
const ref = z.string().min(1).max(256).optional();

export const policyRequests = {
  'policy.get': defineRequest({
    summary:
      "The repository's effective policy: .govc/policy.yaml merged with the defaults (at ref, or the work " +
      'tree), where it came from, its problems, and which fields are enforced yet.',
    input: z.object({ repo, ref }),
    output: PolicyResponse,
    http: { method: 'GET', path: '/repos/{repo}/policy' },
    permission: 'repo:read',
  }),
  'policy.report': defineRequest({
    summary:
      'Lint findings for every Dockerfile, Compose file, Kubernetes manifest, kustomization and Helm chart ' +
      '(values and template-free templates; at ref, or the work tree) ' +
      'under the effective policy, counts by severity, and whether an enforce-mode error would block a build.',
    input: z.object({ repo, ref }),
    output: z.object({
      source: PolicySource,
      policyDiagnostics: z.array(Diagnostic),
      definitions: z.array(DefinitionReport),
      /** Helm charts and Kustomizations are templates or overlays: not linted as written. */
      skipped: z.array(z.object({ path: z.string(), type: DefinitionType })),
      counts: Counts,
      suppressed: z.number(),
      blocked: z.boolean(),
      /** Why a build would be blocked: enforce-mode errors, or an invalid policy file. */
      blockedBy: z.array(z.object({ path: z.string(), ruleId: z.string(), message: z.string() })),
    }),
    http: { method: 'GET', path: '/repos/{repo}/policy/report' },
    permission: 'repo:read',
  }),
};

export const policyEvents = {
  /** A build's policy step ran: what it found and whether it stopped the build. */
  'policy.checked': z.object({
    build: z.string(),
    dockerfile: z.string(),
    blocked: z.boolean(),
    counts: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
    blocking: z.array(z.object({ rule: z.string(), line: z.number(), message: z.string() })),
  }),
};
