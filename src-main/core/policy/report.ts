/**
 * A repository's policy report: its policy file (at a ref or the work tree) and the findings for each of
 * its Dockerfiles, Compose files and Kubernetes manifests. Reads go through the small interface below, so
 * this is tested without a repository and wired to the real services in repo-source.ts.
 */
import type { Definition, DefinitionType } from '../../../src-shared/contract/definitions';
import { POLICY_PATH, type Counts, type DefinitionReport } from '../../../src-shared/contract/policy';
import { dirName, isValuesFile, kubernetesContent } from '../definitions/detect';
import { isBlocking } from './check';
import { countBySeverity, lintFile } from './lint';
import { loadPolicy, type LoadedPolicy } from './load';
import type { LintKind } from './types';

export interface PolicyFiles {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** `files`: every file the definition is made of (a chart's values and templates); only charts need it. */
  definitions(): Promise<Array<Pick<Definition, 'path' | 'type'> & { files?: string[] }>>;
}

export interface PolicyReport {
  loaded: LoadedPolicy;
  definitions: DefinitionReport[];
  skipped: Array<{ path: string; type: DefinitionType }>;
  counts: Counts;
  suppressed: number;
  blocked: boolean;
  blockedBy: Array<{ path: string; ruleId: string; message: string }>;
}

const LINTED: ReadonlySet<DefinitionType> = new Set<DefinitionType>([
  'dockerfile',
  'compose',
  'kubernetes',
  'kustomize',
]);

export async function readPolicy(files: Pick<PolicyFiles, 'readText'>): Promise<LoadedPolicy> {
  return loadPolicy(await files.readText(POLICY_PATH), POLICY_PATH);
}

export async function policyReport(files: PolicyFiles): Promise<PolicyReport> {
  const loaded = await readPolicy(files);
  const definitions: DefinitionReport[] = [];
  const skipped: PolicyReport['skipped'] = [];
  const blockedBy: PolicyReport['blockedBy'] = [];
  if (loaded.kind === 'invalid') {
    for (const d of loaded.diagnostics.filter((x) => x.severity === 'error')) {
      blockedBy.push({ path: loaded.path, ruleId: d.rule, message: d.message });
    }
  }
  const all = [...(await files.definitions())].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lint = async (path: string, type: DefinitionType, kind: LintKind | ((text: string) => LintKind | null)) => {
    const text = await files.readText(path);
    if (text === undefined) return undefined; // removed between the listing and the read
    const as = typeof kind === 'function' ? kind(text) : kind;
    if (as === null) {
      skipped.push({ path, type });
      return undefined;
    }
    const result = lintFile(path, text, loaded.policy, as);
    const counts = countBySeverity(result.findings);
    definitions.push({ path, type, findings: result.findings, suppressed: result.suppressed, counts });
    return result;
  };
  for (const def of all) {
    if (def.type === 'helm') {
      // A chart's values and its template-free templates; templates with template syntax are skipped.
      for (const part of chartParts(def.path, def.files ?? [])) await lint(part.path, 'helm', part.kind);
      continue;
    }
    if (!LINTED.has(def.type)) {
      skipped.push({ path: def.path, type: def.type });
      continue;
    }
    const result = await lint(def.path, def.type, def.type as LintKind);
    if (!result) continue;
    // Builds build Dockerfiles: only their findings (and the policy file) stand in a build's way.
    if (def.type === 'dockerfile')
      for (const f of result.findings.filter(isBlocking))
        blockedBy.push({ path: def.path, ruleId: f.ruleId, message: f.message });
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const counts = countBySeverity(definitions.flatMap((d) => d.findings));
  const suppressed = definitions.reduce((n, d) => n + d.suppressed.length, 0);
  return { loaded, definitions, skipped, counts, suppressed, blocked: blockedBy.length > 0, blockedBy };
}

/** The parts of a chart that can be linted without rendering: values files, and templates with no `{{`. */
export function chartParts(
  chartPath: string,
  files: readonly string[],
): Array<{ path: string; kind: LintKind | ((text: string) => LintKind | null) }> {
  const dir = dirName(chartPath);
  const templates = `${dir === '' ? '' : `${dir}/`}templates/`;
  const out: Array<{ path: string; kind: LintKind | ((text: string) => LintKind | null) }> = [];
  for (const path of [...files].sort()) {
    if (isValuesFile(path, dir)) out.push({ path, kind: 'helm-values' });
    else if (path.startsWith(templates) && /\.ya?ml$/i.test(path)) out.push({ path, kind: staticManifest });
  }
  return out;
}

/** A template is a plain manifest when it has no template actions at all; else it cannot be read as YAML. */
export function staticManifest(text: string): LintKind | null {
  return !text.includes('{{') && kubernetesContent(text) ? 'kubernetes' : null;
}
