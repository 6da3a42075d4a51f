/**
 * Analyses by content id: the same blob analysed as the same kind gives the same result wherever and
 * whenever it appears (another path, another revision, a file written back), so it is computed once.
 * Bounded, least recently used out first.
 */
import type { Analysis } from './analyze';

export interface CachedAnalysis {
  /** Null: the content is not a definition of that kind (a YAML file that is no manifest). */
  analysis: Analysis | null;
  size: number;
}

export class AnalysisCache {
  private readonly map = new Map<string, CachedAnalysis>();

  constructor(private readonly limit = 5000) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): CachedAnalysis | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: CachedAnalysis): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }

  async through(key: string, compute: () => Promise<CachedAnalysis>): Promise<CachedAnalysis> {
    const hit = this.get(key);
    if (hit) return hit;
    const value = await compute();
    this.set(key, value);
    return value;
  }
}
