/**
 * The definitions of one repository's work tree, kept current incrementally: the first sync scans every
 * file; later syncs ask the source which paths changed since the last one (O(changed)) and re-analyse
 * only those, plus the charts they belong to. Listing reads a cached, sorted array: O(definitions).
 * Syncs run one at a time; each returns what changed, for the definition.* events.
 */
import type { Definition, DefinitionType } from '../../../src-shared/contract/definitions';
import type { AnalysisCache } from './cache';
import { baseName, classifyName, dirName, isChartPart, joinPath, owningChart } from './detect';
import { analyzeChart, analyzePath, scanAll, type IndexEntry } from './scan';
import type { DefinitionSource, SourceMark } from './source';

export type DefinitionChange =
  { kind: 'added' | 'changed'; definition: Definition } | { kind: 'removed'; path: string; type: DefinitionType };

export class DefinitionIndex {
  private entries = new Map<string, IndexEntry>();
  private charts = new Set<string>();
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
    for (const p of touched) {
      const owner = owningChart(p, this.charts);
      if (owner !== undefined) dirtyCharts.add(owner);
      const cls = classifyName(p);
      const own = owner === undefined || (cls !== 'yaml' && cls !== null);
      this.update(p, own ? await analyzePath(this.source, p, this.cache) : undefined, changes);
    }
    for (const dir of dirtyCharts) {
      const entry = this.charts.has(dir) ? await analyzeChart(this.source, dir, this.cache) : undefined;
      this.update(joinPath(dir, 'Chart.yaml'), entry, changes);
    }
    return changes;
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
