/**
 * From files to definitions: one file, one chart, or a whole file set (the first load, or a revision).
 * Each result carries a fingerprint of what it was computed from, so the index can tell a real change
 * from a rewrite of the same bytes.
 */
import { createHash } from 'node:crypto';
import type { Definition } from '../../../src-shared/contract/definitions';
import { analyzeBytes, analyzeChartBytes, analyzeYamlBytes, toDefinition } from './analyze';
import type { AnalysisCache } from './cache';
import { classifyName, dirName, isChartPart, isValuesFile, joinPath, owningChart } from './detect';
import { resolvePath } from './graph';
import type { FileSet } from './source';

export interface IndexEntry {
  definition: Definition;
  fingerprint: string;
}

/**
 * A file that is not part of a chart: its definition, or undefined when it is none. `patch`: a kustomization
 * names it as a patch, so a manifest there is judged as a partial object.
 */
export async function analyzePath(
  files: FileSet,
  path: string,
  cache: AnalysisCache,
  patch = false,
): Promise<IndexEntry | undefined> {
  const cls = classifyName(path);
  const oid = files.oidOf(path);
  if (oid === undefined || cls === null || cls === 'chart') return undefined;
  const role = cls === 'yaml' && patch ? 'yaml+patch' : cls;
  const cached = await cache.through(`${role}:${oid}`, async () => {
    const bytes = await files.readBlob(oid);
    const analysis = cls === 'yaml' ? (analyzeYamlBytes(bytes, { patch }) ?? null) : analyzeBytes(cls, bytes);
    return { analysis, size: bytes.length };
  });
  if (!cached.analysis) return undefined;
  return {
    definition: toDefinition(cached.analysis, { path, oid, size: cached.size, files: [path] }),
    fingerprint: `${role}:${oid}`,
  };
}

/** The repository paths of the patch files a kustomization names. */
export function patchPathsOf(entry: IndexEntry | undefined): string[] {
  const d = entry?.definition;
  if (d?.type !== 'kustomize') return [];
  const dir = dirName(d.path);
  return d.summary.patchFiles.map((p) => resolvePath(dir, p)).filter((p): p is string => p !== null);
}

/** The chart whose Chart.yaml is in `chartDir`; `parts` saves a walk of the folder when already known. */
export async function analyzeChart(
  files: FileSet,
  chartDir: string,
  cache: AnalysisCache,
  parts?: ReadonlyArray<[string, string]>,
): Promise<IndexEntry | undefined> {
  const path = joinPath(chartDir, 'Chart.yaml');
  const oid = files.oidOf(path);
  if (oid === undefined) return undefined;
  const own = parts ?? [...files.filesUnder(chartDir)].filter(([p]) => isChartPart(p, chartDir));
  const values = own.filter(([p]) => isValuesFile(p, chartDir)).sort(byPath);
  const templates = own
    .filter(([p]) => !isValuesFile(p, chartDir))
    .map(([p]) => p)
    .sort();
  const fingerprint = createHash('sha1')
    .update(`helm:${oid}\n${values.map(([p, o]) => `${p}:${o}`).join('\n')}\n${templates.join('\n')}`)
    .digest('hex');
  const cached = await cache.through(`helm:${fingerprint}`, async () => {
    const chart = await files.readBlob(oid);
    const valueBytes = [];
    for (const [p, o] of values) valueBytes.push({ path: p, bytes: await files.readBlob(o) });
    return { analysis: analyzeChartBytes({ chart, values: valueBytes, templates }), size: chart.length };
  });
  const all = [path, ...values.map(([p]) => p), ...templates];
  return {
    definition: toDefinition(cached.analysis!, { path, oid, size: cached.size, files: all }),
    fingerprint,
  };
}

function byPath(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export interface ScanResult {
  entries: Map<string, IndexEntry>;
  charts: Set<string>;
  /** Kustomization path → the patch files it names. */
  patchRefs: Map<string, string[]>;
}

/**
 * Every definition of a file set: one pass to find the charts and kustomizations (whose patch files are
 * judged as partial objects), one to classify everything else.
 */
export async function scanAll(files: FileSet, cache: AnalysisCache): Promise<ScanResult> {
  const all = [...files.filesUnder('')];
  const charts = new Set<string>();
  const entries = new Map<string, IndexEntry>();
  const patchRefs = new Map<string, string[]>();
  const patches = new Set<string>();
  for (const [p] of all) {
    const cls = classifyName(p);
    if (cls === 'chart') charts.add(dirName(p));
    if (cls !== 'kustomize') continue;
    const found = await analyzePath(files, p, cache);
    if (!found) continue;
    entries.set(p, found);
    patchRefs.set(p, patchPathsOf(found));
    for (const q of patchRefs.get(p)!) patches.add(q);
  }
  const parts = new Map<string, Array<[string, string]>>();
  for (const entry of all) {
    const [p] = entry;
    const cls = classifyName(p);
    if (cls === 'chart') continue;
    const owner = owningChart(p, charts);
    if (owner !== undefined) {
      let list = parts.get(owner);
      if (!list) parts.set(owner, (list = []));
      list.push(entry);
      if (cls === 'yaml') continue; // a chart's values or templates, not manifests of their own
    }
    if (cls === null || cls === 'kustomize') continue;
    const found = await analyzePath(files, p, cache, patches.has(p));
    if (found) entries.set(p, found);
  }
  for (const dir of charts) {
    const found = await analyzeChart(files, dir, cache, parts.get(dir) ?? []);
    if (found) entries.set(found.definition.path, found);
  }
  return { entries, charts, patchRefs };
}
