/**
 * The definitions of one repository's work tree, kept current incrementally: the first sync scans every
 * file; later syncs ask the source which paths changed since the last one (O(changed)) and re-analyse
 * only those, plus the charts they belong to. Listing reads a cached, sorted array: O(definitions).
 * Syncs run one at a time; each returns what changed, for the definition.* events.
 */
import type { Definition, DefinitionType } from '../../../src-shared/contract/definitions';
import type { AnalysisCache } from './cache';
import { baseName, classifyName, dirName, isChartPart, joinPath, owningChart } from './detect';
import { analyzeChart, analyzePath, patchPathsOf, scanAll, type IndexEntry } from './scan';
import type { DefinitionSource, SourceMark } from './source';

export type DefinitionChange =
  { kind: 'added' | 'changed'; definition: Definition } | { kind: 'removed'; path: string; type: DefinitionType };

export class DefinitionIndex {
  private entries = new Map<string, IndexEntry>();
  private charts = new Set<string>();
  /** Kustomization → patch files it names, and how many kustomizations name each patch file. */
  private patchRefs = new Map<string, string[]>();
  private readonly patchCount = new Map<string, number>();
  private mark: SourceMark | undefined;
  private loaded = false;
  private sorted: Definition[] | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly source: DefinitionSource,
    private readonly cache: AnalysisCache,
  ) {}

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Chart folders, for deciding whether a path belongs to a chart. */
  get chartDirs(): ReadonlySet<string> {
    return this.charts;
  }

  /** Brings the index up to date with the work tree; the first call scans it (and reports no changes). */
  sync(): Promise<DefinitionChange[]> {
    const run = this.chain.then(() => this.syncNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  list(type?: DefinitionType): Definition[] {
    this.sorted ??= [...this.entries.values()]
      .map((e) => e.definition)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return type === undefined ? this.sorted : this.sorted.filter((d) => d.type === type);
  }

  get(path: string): Definition | undefined {
    return this.entries.get(path)?.definition;
  }

  private async syncNow(): Promise<DefinitionChange[]> {
    if (!this.loaded) {
      const mark = this.source.mark();
      const scan = await scanAll(this.source, this.cache);
      this.entries = scan.entries;
      this.charts = scan.charts;
      this.patchRefs = new Map();
      this.patchCount.clear();
      for (const [k, refs] of scan.patchRefs) this.setPatchRefs(k, refs);
      this.mark = mark;
      this.loaded = true;
      this.sorted = undefined;
      return [];
    }
    const { paths, mark } = await this.source.changedSince(this.mark);
    const changes = paths.length === 0 ? [] : await this.apply(paths);
    this.mark = mark;
    return changes;
  }

  private async apply(paths: string[]): Promise<DefinitionChange[]> {
    const changes: DefinitionChange[] = [];
    const touched = new Set<string>();
    const dirtyCharts = new Set<string>();
    for (const p of paths) {
      if (baseName(p) !== 'Chart.yaml') {
        touched.add(p);
        continue;
      }
      const dir = dirName(p);
      const exists = this.source.oidOf(p) !== undefined;
      if (exists !== this.charts.has(dir)) {
        // A chart appeared or went: its values and templates stop (or start) being files of their own.
        for (const [q] of this.source.filesUnder(dir)) if (isChartPart(q, dir)) touched.add(q);
        if (exists) this.charts.add(dir);
        else this.charts.delete(dir);
      }
      dirtyCharts.add(dir);
    }
    // Kustomizations first: a change in the patches they name changes how those files are judged.
    const ordered = [...touched].sort((a, b) => kustomizationFirst(a) - kustomizationFirst(b));
    for (const p of ordered) {
      const owner = owningChart(p, this.charts);
      if (owner !== undefined) dirtyCharts.add(owner);
      const cls = classifyName(p);
      const own = owner === undefined || (cls !== 'yaml' && cls !== null);
      const entry = own ? await analyzePath(this.source, p, this.cache, this.patchCount.has(p)) : undefined;
      this.update(p, entry, changes);
      if (cls !== 'kustomize') continue;
      for (const q of this.setPatchRefs(p, patchPathsOf(entry))) {
        if (touched.has(q)) continue; // judged below, after this kustomization
        const qOwner = owningChart(q, this.charts);
        if (qOwner === undefined)
          this.update(q, await analyzePath(this.source, q, this.cache, this.patchCount.has(q)), changes);
      }
    }
    for (const dir of dirtyCharts) {
      const entry = this.charts.has(dir) ? await analyzeChart(this.source, dir, this.cache) : undefined;
      this.update(joinPath(dir, 'Chart.yaml'), entry, changes);
    }
    return changes;
  }

  /** Records the patches a kustomization names; returns the paths whose patch status changed. */
  private setPatchRefs(kustomization: string, refs: string[]): string[] {
    const before = new Set(this.patchRefs.get(kustomization) ?? []);
    const after = new Set(refs);
    for (const q of before) {
      const n = (this.patchCount.get(q) ?? 1) - 1;
      if (n > 0) this.patchCount.set(q, n);
      else this.patchCount.delete(q);
    }
    for (const q of after) this.patchCount.set(q, (this.patchCount.get(q) ?? 0) + 1);
    if (after.size > 0) this.patchRefs.set(kustomization, [...after]);
    else this.patchRefs.delete(kustomization);
    return [...new Set([...before, ...after])].filter((q) => before.has(q) !== after.has(q));
  }

  private update(path: string, next: IndexEntry | undefined, changes: DefinitionChange[]): void {
    const prev = this.entries.get(path);
    if (prev?.fingerprint === next?.fingerprint) return;
    this.sorted = undefined;
    if (next) {
      this.entries.set(path, next);
      changes.push({ kind: prev ? 'changed' : 'added', definition: next.definition });
    } else if (prev) {
      this.entries.delete(path);
      changes.push({ kind: 'removed', path, type: prev.definition.type });
    }
  }
}

function kustomizationFirst(path: string): number {
  return classifyName(path) === 'kustomize' ? 0 : 1;
}
