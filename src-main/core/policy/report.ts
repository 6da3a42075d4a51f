/**
 * A repository's policy report: its policy file (at a ref or the work tree) and the findings for each of
 * its Dockerfiles, Compose files and Kubernetes manifests. Reads go through the small interface below, so
 * this is tested without a repository and wired to the real services in repo-source.ts.
 */
import type { Definition, DefinitionType } from '../../../src-shared/contract/definitions';
import { POLICY_PATH, type Counts, type DefinitionReport } from '../../../src-shared/contract/policy';
import { isBlocking } from './check';
import { countBySeverity, lintFile } from './lint';
import { loadPolicy, type LoadedPolicy } from './load';
import type { LintKind } from './types';

export interface PolicyFiles {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  definitions(): Promise<Array<Pick<Definition, 'path' | 'type'>>>;
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

const LINTED: ReadonlySet<DefinitionType> = new Set<LintKind>(['dockerfile', 'compose', 'kubernetes']);

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
  for (const def of all) {
    if (!LINTED.has(def.type)) {
      skipped.push({ path: def.path, type: def.type });
      continue;
    }
    const text = await files.readText(def.path);
    if (text === undefined) continue; // removed between the listing and the read
    const result = lintFile(def.path, text, loaded.policy, def.type as LintKind);
    definitions.push({
      path: def.path,
      type: def.type,
      findings: result.findings,
      suppressed: result.suppressed,
      counts: countBySeverity(result.findings),
    });
    // Builds build Dockerfiles: only their findings (and the policy file) stand in a build's way.
    if (def.type === 'dockerfile')
      for (const f of result.findings.filter(isBlocking))
        blockedBy.push({ path: def.path, ruleId: f.ruleId, message: f.message });
  }
  const counts = countBySeverity(definitions.flatMap((d) => d.findings));
  const suppressed = definitions.reduce((n, d) => n + d.suppressed.length, 0);
  return { loaded, definitions, skipped, counts, suppressed, blocked: blockedBy.length > 0, blockedBy };
}
