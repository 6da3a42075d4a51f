/**
 * SARIF 2.1.0 output for CI (GitHub code scanning and others): one run, the rules that exist as the tool's
 * rule metadata, and one result per finding. Suppressed findings are included with an in-source
 * suppression, so a dashboard shows them as dismissed rather than losing them.
 */
import type { SourceRange } from '../../../src-shared/contract/definitions';
import type { Finding, FindingSeverity, SuppressedFinding } from '../../../src-shared/contract/policy';
import { VERSION } from '../version';
import { RULES, ruleDocPath } from './rules';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifFile {
  /** Relative to `root`, with forward slashes. */
  path: string;
  findings: readonly Finding[];
  suppressed: readonly SuppressedFinding[];
}

const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function region(r: SourceRange) {
  return { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column };
}

function artifact(path: string) {
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

/** `root` is the directory paths are relative to, as an absolute file URI ending in `/`. */
export function toSarif(files: readonly SarifFile[], root: string): object {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const result = (path: string, f: Finding, reason?: string | null) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId) ?? -1,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(path), region: region(f.range) } }],
    ...(f.fix
      ? {
          fixes: [
            {
              description: { text: f.fix.description },
              artifactChanges: [
                {
                  artifactLocation: artifact(path),
                  replacements: f.fix.edits.map((e) => ({
                    deletedRegion: region(e.range),
                    insertedContent: { text: e.text },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
    ...(reason !== undefined
      ? { suppressions: [{ kind: 'inSource', ...(reason ? { justification: reason } : {}) }] }
      : {}),
    properties: { mode: f.mode },
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'govc',
            fullName: 'govc lint (govc Studio)',
            version: VERSION,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: {
                text: `${r.description}\n\nSee ${ruleDocPath(r.id)}.`,
                markdown: `${r.description}\n\nSee [${r.id}](${ruleDocPath(r.id)}).`,
              },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: [r.kind], docs: ruleDocPath(r.id), fixable: r.fixable },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: root } },
        results: files.flatMap((file) => [
          ...file.findings.map((f) => result(file.path, f)),
          ...file.suppressed.map((f) => result(file.path, f, f.reason)),
        ]),
      },
    ],
  };
}
