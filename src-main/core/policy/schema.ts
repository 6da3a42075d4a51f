/**
 * The policy file, `.govc/policy.yaml`: its schema and its defaults. Every field is optional; what a file
 * leaves out comes from DEFAULT_POLICY. Unknown fields are errors rather than ignored, because a misspelt
 * `requireDigest` that silently does nothing is worse than a policy file that does not load.
 */
import { z } from 'zod';
import type { EffectivePolicy, PolicyMode, RuleSeverity } from '../../../src-shared/contract/policy';

export type Policy = EffectivePolicy;

const Severity = z.enum(['error', 'warning', 'info', 'off']);
const Mode = z.enum(['enforce', 'warn']);
const RULE_ID = /^GV\d{4}$/;

const RuleEntry = z.union([Severity, z.strictObject({ severity: Severity.optional(), mode: Mode.optional() })], {
  error: 'expected a severity (error, warning, info, off) or { severity, mode }',
});

/** `512MB`, `1.5 GiB`, or a number of bytes. Decimal units are powers of 1000, binary ones of 1024. */
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$/i;
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const m = SIZE.exec(value);
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

const Size = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const bytes = parseSize(v);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a size: write a number of bytes or e.g. 500MB, 1GiB` });
    return z.NEVER;
  }
  return bytes;
});

const MaxCount = z.number().int().nonnegative().nullable();

/** A public key as PEM, or a key id as `govc sign --key` prints it (a typo must not silently trust nobody). */
const TrustedKey = z
  .string()
  .refine(
    (k) => k.includes('-----BEGIN PUBLIC KEY-----') || /^[0-9a-fA-F]{32}$/.test(k.trim()),
    'expected a PEM public key (-----BEGIN PUBLIC KEY-----) or a key id of 32 hex digits',
  );

export const PolicyFile = z.strictObject({
  version: z.literal(1, { error: 'version must be 1' }),
  mode: Mode.optional(),
  rules: z
    .record(z.string(), RuleEntry)
    .superRefine((rules, ctx) => {
      for (const id of Object.keys(rules)) {
        if (!RULE_ID.test(id))
          ctx.addIssue({ code: 'custom', message: `"${id}" is not a rule id (GV1234)`, path: [id] });
      }
    })
    .optional(),
  baseImages: z
    .strictObject({ allowed: z.array(z.string().min(1)).optional(), requireDigest: z.boolean().optional() })
    .optional(),
  packages: z.strictObject({ prohibited: z.array(z.string().min(1)).optional() }).optional(),
  signing: z.strictObject({ required: z.boolean().optional(), keys: z.array(TrustedKey).optional() }).optional(),
  scanning: z
    .strictObject({
      required: z.boolean().optional(),
      vulnerabilities: z
        .strictObject({
          critical: MaxCount.optional(),
          high: MaxCount.optional(),
          medium: MaxCount.optional(),
          low: MaxCount.optional(),
        })
        .optional(),
    })
    .optional(),
  image: z.strictObject({ maxSize: Size.nullable().optional() }).optional(),
});
export type PolicyFile = z.output<typeof PolicyFile>;

export const DEFAULT_MODE: PolicyMode = 'enforce';

export function defaultPolicy(ruleDefaults: Record<string, Exclude<RuleSeverity, 'off'>>): Policy {
  return {
    version: 1,
    mode: DEFAULT_MODE,
    rules: Object.fromEntries(
      Object.entries(ruleDefaults).map(([id, severity]) => [id, { severity, mode: DEFAULT_MODE }]),
    ),
    baseImages: { allowed: [], requireDigest: false },
    packages: { prohibited: [] },
    signing: { required: false, keys: [] },
    scanning: { required: false, vulnerabilities: { critical: null, high: null, medium: null, low: null } },
    image: { maxSize: null },
  };
}

/** The file over the defaults: a rule the file does not name keeps its default severity and the file's mode. */
export function mergePolicy(defaults: Policy, file: PolicyFile): Policy {
  const mode = file.mode ?? defaults.mode;
  const rules: Policy['rules'] = {};
  for (const [id, setting] of Object.entries(defaults.rules)) rules[id] = { severity: setting.severity, mode };
  for (const [id, entry] of Object.entries(file.rules ?? {})) {
    const base = rules[id] ?? { severity: 'warning' as const, mode };
    rules[id] =
      typeof entry === 'string'
        ? { severity: entry, mode: base.mode }
        : { severity: entry.severity ?? base.severity, mode: entry.mode ?? base.mode };
  }
  const vulns = file.scanning?.vulnerabilities ?? {};
  return {
    version: 1,
    mode,
    rules,
    baseImages: {
      allowed: file.baseImages?.allowed ?? defaults.baseImages.allowed,
      requireDigest: file.baseImages?.requireDigest ?? defaults.baseImages.requireDigest,
    },
    packages: { prohibited: file.packages?.prohibited ?? defaults.packages.prohibited },
    signing: {
      required: file.signing?.required ?? defaults.signing.required,
      keys: file.signing?.keys ?? defaults.signing.keys,
    },
    scanning: {
      required: file.scanning?.required ?? defaults.scanning.required,
      vulnerabilities: {
        critical: vulns.critical ?? defaults.scanning.vulnerabilities.critical,
        high: vulns.high ?? defaults.scanning.vulnerabilities.high,
        medium: vulns.medium ?? defaults.scanning.vulnerabilities.medium,
        low: vulns.low ?? defaults.scanning.vulnerabilities.low,
      },
    },
    image: { maxSize: file.image?.maxSize ?? defaults.image.maxSize },
  };
}
