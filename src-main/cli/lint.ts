/**
 * `govc lint`: lint Dockerfiles, Compose files and Kubernetes manifests on disk under a policy, for people
 * and for CI. Exit codes: 0 clean (or only warnings and info), 1 an error-level finding remains, 2 usage
 * errors (bad options, a path that does not exist, a policy file that does not load).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Diagnostic } from '../../src-shared/contract/definitions';
import { POLICY_PATH } from '../../src-shared/contract/policy';
import {
  countBySeverity,
  detectKind,
  lintFile,
  loadPolicy,
  sniffKind,
  staticManifest,
  toSarif,
  type LintResult,
  type LoadedPolicy,
} from '../core/policy';
import { isChartPart, isValuesFile } from '../core/definitions/detect';
import { fixFile, type AppliedFix } from './lint-fix';

const USAGE = `Usage: govc lint [--fix] [--format text|json|sarif] [--policy FILE] [PATH…]
  Lints Dockerfiles, Compose files and Kubernetes manifests (files, or directories searched recursively;
  default: the current directory) under the policy in FILE, else the nearest .govc/policy.yaml.
  --fix applies the rules' safe fixes to the files and reports what remains.
  Exit status: 0 no error-level finding (left), 1 at least one, 2 usage error.
`;

const SKIP_DIRS = new Set(['node_modules', '.git', 'vendor', 'dist', 'out']);
const MAX_BYTES = 1024 * 1024;

class UsageError extends Error {}

export async function lint(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  try {
    return run(argv, out, err);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`govc lint: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

function run(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'text' },
      policy: { type: 'string' },
      fix: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    out.write(USAGE);
    return 0;
  }
  const format = values.format!;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown format "${format}"`);
  const paths = positionals.length > 0 ? positionals : ['.'];
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`${p} does not exist`);

  const policy = readPolicyFile(values.policy, resolve(paths[0]!));
  if (policy.kind === 'invalid') {
    err.write(
      `govc lint: the policy file ${policy.path} is invalid:\n${formatDiagnostics(policy.path, policy.diagnostics)}`,
    );
    return 2;
  }
  if (policy.diagnostics.length > 0) err.write(formatDiagnostics(policy.path, policy.diagnostics));

  const cwd = process.cwd();
  const results: LintResult[] = [];
  const fixed: AppliedFix[] = [];
  for (const { file, explicit } of collect(paths)) {
    const content = readFileSync(file, 'utf8');
    const display = relative(cwd, file).split(sep).join('/') || file;
    const role = chartRole(file);
    const kind =
      role === 'values'
        ? 'helm-values'
        : role === 'template'
          ? (staticManifest(content) ?? undefined)
          : (detectKind(display, content) ?? (explicit ? sniffKind(content) : undefined));
    if (kind === undefined && role === 'template') {
      if (explicit) err.write(`govc lint: ${display} is a Helm template with template syntax; skipped\n`);
      continue;
    }
    if (kind === undefined) {
      if (explicit)
        err.write(`govc lint: ${display} is not a Dockerfile, Compose file or Kubernetes manifest; skipped\n`);
      continue;
    }
    if (!values.fix) {
      results.push(lintFile(display, content, policy.policy, kind));
      continue;
    }
    const outcome = fixFile(display, content, policy.policy, kind);
    if (outcome.applied.length > 0) writeFileSync(file, outcome.content);
    fixed.push(...outcome.applied);
    results.push(outcome.result);
  }

  const all = results.flatMap((r) => r.findings);
  const counts = countBySeverity(all);
  // What --fix changed: before the text report; on stderr where stdout is JSON or SARIF (JSON also lists it).
  if (values.fix) (format === 'text' ? out : err).write(fixReport(fixed));
  if (format === 'json') {
    const report = { ...jsonReport(results, policy, counts), ...(values.fix ? { fixed } : {}) };
    out.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (format === 'sarif')
    out.write(`${JSON.stringify(toSarif(results, pathToFileURL(cwd + sep).href), null, 2)}\n`);
  else out.write(textReport(results, counts));
  return counts.error > 0 ? 1 : 0;
}

/** --policy, else the nearest .govc/policy.yaml above the first path (stopping at a repository root). */
function readPolicyFile(option: string | undefined, from: string): LoadedPolicy {
  if (option !== undefined) {
    if (!existsSync(option) || !statSync(option).isFile()) throw new UsageError(`policy file ${option} does not exist`);
    return loadPolicy(readFileSync(option, 'utf8'), option);
  }
  let dir = existsSync(from) && statSync(from).isDirectory() ? from : dirname(from);
  for (;;) {
    const candidate = join(dir, POLICY_PATH);
    if (existsSync(candidate))
      return loadPolicy(readFileSync(candidate, 'utf8'), relative(process.cwd(), candidate) || candidate);
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) return loadPolicy(undefined);
    dir = parent;
  }
}

/** A file's part in a Helm chart (the nearest folder above with a Chart.yaml): a values file, a template. */
function chartRole(file: string): 'values' | 'template' | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'Chart.yaml'))) {
      const path = file.split(sep).join('/');
      const chart = dir.split(sep).join('/');
      if (isValuesFile(path, chart)) return 'values';
      return isChartPart(path, chart) ? 'template' : undefined;
    }
    if (dirname(dir) === dir || existsSync(join(dir, '.git'))) return undefined;
  }
}

function* collect(paths: string[]): Generator<{ file: string; explicit: boolean }> {
  const seen = new Set<string>();
  const walk = function* (dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !(entry.name.startsWith('.') && entry.name !== '.govc')) yield* walk(full);
      } else if (entry.isFile() && statSync(full).size <= MAX_BYTES) yield full;
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    const explicit = statSync(abs).isFile();
    for (const file of explicit ? [abs] : walk(abs)) {
      if (seen.has(file)) continue;
      seen.add(file);
      yield { file, explicit };
    }
  }
}

function jsonReport(results: LintResult[], policy: LoadedPolicy, counts: ReturnType<typeof countBySeverity>) {
  return {
    version: 1,
    policy: { kind: policy.kind, path: policy.path, diagnostics: policy.diagnostics },
    files: results.map((r) => ({ path: r.path, type: r.kind, findings: r.findings, suppressed: r.suppressed })),
    counts,
    suppressed: results.reduce((n, r) => n + r.suppressed.length, 0),
  };
}

function textReport(results: LintResult[], counts: ReturnType<typeof countBySeverity>): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      const fix = f.fix ? ' (fixable)' : '';
      lines.push(
        `${r.path}:${f.range.start.line}:${f.range.start.column}: ${f.severity} ${f.ruleId} ${f.message}${fix}`,
      );
    }
  }
  const suppressed = results.reduce((n, r) => n + r.suppressed.length, 0);
  const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
  lines.push(
    `${files} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info` +
      (suppressed > 0 ? `, ${suppressed} suppressed` : ''),
  );
  return `${lines.join('\n')}\n`;
}

function fixReport(fixed: AppliedFix[]): string {
  const lines = fixed.map((f) => `${f.path}:${f.line}:${f.column}: fixed ${f.ruleId} ${f.description}`);
  const files = new Set(fixed.map((f) => f.path)).size;
  lines.push(`${fixed.length} fix${fixed.length === 1 ? '' : 'es'} applied in ${files} file${files === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

function formatDiagnostics(path: string, diagnostics: Diagnostic[]): string {
  return diagnostics
    .map((d) => `${path}:${d.range.start.line}:${d.range.start.column}: ${d.severity} ${d.message}\n`)
    .join('');
}
