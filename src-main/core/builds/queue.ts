/**
 * The waiting builds: one queue per repository, served round-robin, so ten builds queued in one repository
 * do not hold back the next repository's one. Within a repository, first come first served among the
 * builds that may start (an automatic build waits a moment for more commits to coalesce into it).
 */

export interface Queued {
  id: string;
  repo: string;
}

export class FairQueue<T extends Queued> {
  private readonly byRepo = new Map<string, T[]>();
  /** Repositories in the order they first queued; the rotation goes through them in this order. */
  private readonly rotation: string[] = [];
  private lastServed: string | undefined;

  get size(): number {
    let n = 0;
    for (const items of this.byRepo.values()) n += items.length;
    return n;
  }

  push(item: T): void {
    let items = this.byRepo.get(item.repo);
    if (!items) {
      items = [];
      this.byRepo.set(item.repo, items);
      if (!this.rotation.includes(item.repo)) this.rotation.push(item.repo);
    }
    items.push(item);
  }

  remove(id: string): T | undefined {
    for (const [repo, items] of this.byRepo) {
      const at = items.findIndex((item) => item.id === id);
      if (at === -1) continue;
      const [removed] = items.splice(at, 1);
      if (items.length === 0) this.byRepo.delete(repo);
      return removed;
    }
    return undefined;
  }

  find(predicate: (item: T) => boolean): T | undefined {
    for (const items of this.byRepo.values()) {
      const found = items.find(predicate);
      if (found) return found;
    }
    return undefined;
  }

  /** Takes the next build that may start: the repository after the last one served comes first. */
  take(mayStart: (item: T) => boolean): T | undefined {
    const n = this.rotation.length;
    const after = this.lastServed === undefined ? -1 : this.rotation.indexOf(this.lastServed);
    for (let i = 1; i <= n; i++) {
      const repo = this.rotation[(after + i + n) % n]!;
      const item = this.byRepo.get(repo)?.find(mayStart);
      if (!item) continue;
      this.remove(item.id);
      this.lastServed = repo;
      return item;
    }
    return undefined;
  }

  /** Everything waiting, in the order `take` would serve it if all could start. */
  list(): T[] {
    const copy = new Map([...this.byRepo].map(([repo, items]) => [repo, [...items]]));
    const out: T[] = [];
    const n = this.rotation.length;
    let at = this.lastServed === undefined ? -1 : this.rotation.indexOf(this.lastServed);
    while (out.length < this.size) {
      at = (at + 1 + n) % n;
      const next = copy.get(this.rotation[at]!)?.shift();
      if (next) out.push(next);
    }
    return out;
  }
}
