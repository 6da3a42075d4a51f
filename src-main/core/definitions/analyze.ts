/**
 * One file (or one chart) in, one Definition out. Bytes are checked before any parser sees them: too large
 * or binary content becomes an error diagnostic on an empty summary, so a bad file is reported, never
 * thrown. A parser that fails unexpectedly is reported the same way.
 */
import {
  MAX_DEFINITION_BYTES,
  type Definition,
  type DefinitionType,
  type Diagnostic,
  type SummaryOf,
} from '../../../src-shared/contract/definitions';
import { analyzeCompose } from './compose';
import { kubernetesContent } from './detect';
import { analyzeDockerfile } from './dockerfile';
import { analyzeHelm, type ChartFiles } from './helm';
import { analyzeKubernetes } from './kubernetes';
import { analyzeKustomize } from './kustomize';
import type { YamlText } from './yaml-text';

/** What one definition says, before it is placed at a path: a union on `type`, so summaries stay typed. */
export type Analysis = {
  [T in DefinitionType]: { type: T; summary: SummaryOf<T>; diagnostics: Diagnostic[] };
}[DefinitionType];

/** Diagnostics per definition are capped so a pathological file cannot flood a listing. */
const MAX_DIAGNOSTICS = 200;

export function emptySummary<T extends DefinitionType>(type: T): SummaryOf<T> {
  const summaries: { [K in DefinitionType]: SummaryOf<K> } = {
    dockerfile: { stages: [], args: [], ports: [], cmd: null, entrypoint: null, user: null, copies: [] },
    compose: { name: null, services: [], volumes: [], networks: [] },
    kubernetes: { objects: [] },
    kustomize: { namespace: null, resources: [], components: [], images: [], patches: 0, patchFiles: [] },
    helm: {
      apiVersion: null,
      name: null,
      version: null,
      appVersion: null,
      description: null,
      chartType: null,
      dependencies: [],
      values: [],
      templates: [],
      images: [],
    },
  };
  return summaries[type] as SummaryOf<T>;
}

const START = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function fileProblem(type: DefinitionType, rule: string, message: string): Analysis {
  const diagnostics: Diagnostic[] = [{ severity: 'error', message, range: START, rule, source: 'govc' }];
  return { type, summary: emptySummary(type), diagnostics } as Analysis;
}

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).indexOf(0) >= 0;
}

/** Why bytes cannot be a definition's text, if they cannot. */
export function contentProblem(bytes: Uint8Array): { rule: string; message: string } | undefined {
  if (bytes.length > MAX_DEFINITION_BYTES) {
    return {
      rule: 'govc/too-large',
      message: `The file has ${bytes.length} bytes; definitions are read up to ${MAX_DEFINITION_BYTES} bytes`,
    };
  }
  if (isBinary(bytes)) return { rule: 'govc/binary', message: 'The file is binary, not text' };
  return undefined;
}

export function decodeText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function guarded(type: DefinitionType, run: () => Analysis): Analysis {
  try {
    return run();
  } catch (err) {
    return fileProblem(type, 'govc/internal', `The ${type} analyser failed: ${(err as Error).message}`);
  }
}

/** Analyses a single-file definition whose type is known (by name, or by content for Kubernetes). */
/** `patch`: a Kubernetes file that a kustomization names as a patch (a partial object). */
export function analyzeBytes(
  type: Exclude<DefinitionType, 'helm'>,
  bytes: Uint8Array,
  parsed?: YamlText,
  options: { patch?: boolean } = {},
): Analysis {
  const problem = contentProblem(bytes);
  if (problem) return fileProblem(type, problem.rule, problem.message);
  const text = decodeText(bytes);
  return guarded(type, () => {
    switch (type) {
      case 'dockerfile':
        return { type, ...analyzeDockerfile(text) };
      case 'compose':
        return { type, ...analyzeCompose(text) };
      case 'kustomize':
        return { type, ...analyzeKustomize(text) };
      case 'kubernetes':
        return { type, ...analyzeKubernetes(text, parsed, options) };
    }
  });
}

/** A YAML file with no telling name: a Kubernetes analysis when its content is a manifest. */
export function analyzeYamlBytes(bytes: Uint8Array, options: { patch?: boolean } = {}): Analysis | undefined {
  if (contentProblem(bytes)) return undefined;
  const parsed = kubernetesContent(decodeText(bytes));
  return parsed ? analyzeBytes('kubernetes', bytes, parsed, options) : undefined;
}

export interface ChartBytes {
  chart: Uint8Array;
  values: Array<{ path: string; bytes: Uint8Array }>;
  templates: string[];
}

export function analyzeChartBytes(input: ChartBytes): Analysis {
  const problem = contentProblem(input.chart);
  if (problem) return fileProblem('helm', problem.rule, problem.message);
  return guarded('helm', () => {
    const files: ChartFiles = { chart: decodeText(input.chart), values: [], templates: input.templates };
    const skipped: Diagnostic[] = [];
    for (const v of input.values) {
      const bad = contentProblem(v.bytes);
      if (bad)
        skipped.push({
          severity: 'error',
          message: bad.message,
          range: START,
          rule: bad.rule,
          source: 'govc',
          file: v.path,
        });
      else files.values.push({ path: v.path, text: decodeText(v.bytes) });
    }
    const result = analyzeHelm(files);
    result.summary.values = input.values.map((v) => v.path);
    return { type: 'helm', summary: result.summary, diagnostics: [...result.diagnostics, ...skipped] };
  });
}

export function toDefinition(
  a: Analysis,
  file: { path: string; oid: string; size: number; files: string[] },
): Definition {
  const diagnostics = a.diagnostics.slice(0, MAX_DIAGNOSTICS);
  if (a.diagnostics.length > MAX_DIAGNOSTICS) {
    diagnostics.push({
      severity: 'info',
      message: `${a.diagnostics.length - MAX_DIAGNOSTICS} more diagnostics not shown`,
      range: START,
      rule: 'govc/truncated',
      source: 'govc',
    });
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return { ...file, type: a.type, summary: a.summary, diagnostics, errors, warnings } as Definition;
}
