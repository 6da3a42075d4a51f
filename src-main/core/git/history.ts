/**
 * Reading history: parsed commits (cached, they never change), revision parsing, the log walk in git's
 * default order (newest committer date first), merge bases and ahead/behind counts.
 */
import { GovcError } from '../../../src-shared/errors';
import { decodeCommit, decodeTag, decodeTree, isOid, type Commit, type Entry, type FileMode } from './objects';
import { HEADS, TAGS, type RefTable } from './refs';
import type { ObjectStore } from './store';

export class History {
  private readonly commits = new Map<string, Commit>();

  constructor(
    private readonly store: ObjectStore,
    private readonly refs: RefTable,
  ) {}

  async commit(oid: string): Promise<Commit> {
    let c = this.commits.get(oid);
    if (!c) {
      const obj = this.store.get(oid) ?? (await this.store.tryRead(oid));
      if (!obj || obj.type !== 'commit') {
        throw new GovcError('COMMIT_NOT_FOUND', `Commit ${oid} is not in this repository`, { commit: oid });
      }
      c = decodeCommit(obj.bytes);
      this.commits.set(oid, c);
    }
    return c;
  }

  /** Remembers a commit we just wrote, so reading it back costs nothing. */
  remember(oid: string, c: Commit): void {
    this.commits.set(oid, c);
  }

  /** Follows annotated tags to what they finally point at. */
  async peel(oid: string): Promise<{ oid: string; type: string }> {
    for (let i = 0; i < 32; i++) {
      const obj = this.store.get(oid) ?? (await this.store.tryRead(oid));
      if (!obj) throw new GovcError('REV_NOT_FOUND', `Object ${oid} is not in this repository`, { rev: oid });
      if (obj.type !== 'tag') return { oid, type: obj.type };
      oid = decodeTag(obj.bytes).object;
    }
    throw new GovcError('REV_NOT_FOUND', 'A chain of tags is too long');
  }

  /** A name to the oid it denotes (not peeled): HEAD, full refs, branches, tags, full or abbreviated oids. */
  private lookupName(name: string): string | undefined {
    if (name === 'HEAD' || name === '@') return this.refs.headOid();
    if (name.startsWith('refs/')) return this.refs.get(name);
    const byRef = this.refs.get(HEADS + name) ?? this.refs.get(TAGS + name) ?? this.refs.get(`refs/remotes/${name}`);
    if (byRef) return byRef;
    if (isOid(name)) return name; // peel() checks that it exists, packed objects included
    if (/^[0-9a-f]{4,39}$/.test(name)) {
      const found = this.store.oidsWithPrefix(name);
      if (found.length > 1) throw new GovcError('AMBIGUOUS_REV', `${name} is ambiguous`, { rev: name });
      return found[0];
    }
    return undefined;
  }

  /**
   * Resolves a revision to a commit oid. Supports `NAME`, `NAME~N`, `NAME^`, `NAME^N` chains, and
   * `^{commit}`; tags are peeled. Unknown names are REV_NOT_FOUND (404).
   */
  async resolve(rev: string): Promise<string> {
    const m = /^(.*?)((?:~\d*|\^\d*|\^\{commit\})*)$/.exec(rev.trim())!;
    const base = m[1]!;
    const notFound = (): never => {
      throw new GovcError('REV_NOT_FOUND', `Unknown revision "${rev}"`, { rev });
    };
    const start = base === '' ? notFound() : this.lookupName(base);
    if (start === undefined) return notFound();
    const peeled = await this.peel(start);
    if (peeled.type !== 'commit') {
      throw new GovcError('REV_NOT_FOUND', `"${rev}" names a ${peeled.type}, not a commit`, { rev });
    }
    let oid = peeled.oid;
    for (const step of m[2]!.matchAll(/~(\d*)|\^(\d*)|\^\{commit\}/g)) {
      if (step[0] === '^{commit}') continue;
      if (step[1] !== undefined) {
        for (let n = step[1] === '' ? 1 : Number(step[1]); n > 0; n--) {
          oid = (await this.commit(oid)).parents[0] ?? notFound();
        }
      } else {
        const n = step[2] === '' ? 1 : Number(step[2]);
        if (n === 0) continue;
        oid = (await this.commit(oid)).parents[n - 1] ?? notFound();
      }
    }
    return oid;
  }

  /**
   * Commits reachable from `starts`, newest committer time first (git log's default order). Yields lazily,
   * so paging stops reading as soon as it has enough.
   */
  async *walk(starts: string[], stopAt?: Set<string>): AsyncGenerator<[string, Commit]> {
    const seen = new Set<string>();
    const queue: Array<{ oid: string; c: Commit; n: number }> = [];
    let counter = 0;
    const push = async (oid: string): Promise<void> => {
      if (seen.has(oid) || stopAt?.has(oid)) return;
      seen.add(oid);
      queue.push({ oid, c: await this.commit(oid), n: counter++ });
    };
    for (const s of starts) await push(s);
    while (queue.length > 0) {
      // Queues are short (the frontier of the walk): a linear scan for the newest beats a heap's overhead.
      let best = 0;
      for (let i = 1; i < queue.length; i++) {
        const a = queue[i]!;
        const b = queue[best]!;
        if (a.c.committer.time > b.c.committer.time || (a.c.committer.time === b.c.committer.time && a.n < b.n))
          best = i;
      }
      const item = queue[best]!;
      queue[best] = queue[queue.length - 1]!;
      queue.pop();
      yield [item.oid, item.c];
      for (const p of item.c.parents) await push(p);
    }
  }

  async ancestors(oid: string): Promise<Set<string>> {
    const out = new Set<string>();
    const stack = [oid];
    while (stack.length > 0) {
      const o = stack.pop()!;
      if (out.has(o)) continue;
      out.add(o);
      for (const p of (await this.commit(o)).parents) if (!out.has(p)) stack.push(p);
    }
    return out;
  }

  async isAncestor(ancestor: string, of: string): Promise<boolean> {
    if (ancestor === of) return true;
    for await (const [oid] of this.walk([of])) if (oid === ancestor) return true;
    return false;
  }

  /**
   * The best common ancestor: commits reachable from both, minus those that are ancestors of another such
   * commit. With several (criss-cross merges) the newest is used.
   */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const fromA = await this.ancestors(a);
    const candidates: string[] = [];
    const seen = new Set<string>();
    const stack = [b];
    while (stack.length > 0) {
      const o = stack.pop()!;
      if (seen.has(o)) continue;
      seen.add(o);
      if (fromA.has(o)) {
        candidates.push(o);
        continue;
      }
      stack.push(...(await this.commit(o)).parents);
    }
    const best: string[] = [];
    for (const c of candidates) {
      let dominated = false;
      for (const other of candidates) if (other !== c && (await this.isAncestor(c, other))) dominated = true;
      if (!dominated) best.push(c);
    }
    let newest: string | undefined;
    let time = -Infinity;
    for (const c of best) {
      const t = (await this.commit(c)).committer.time;
      if (t > time) [newest, time] = [c, t];
    }
    return newest;
  }

  /** Commits in `a` not in `b` (ahead) and in `b` not in `a` (behind). */
  async aheadBehind(a: string, b: string): Promise<{ ahead: number; behind: number }> {
    if (a === b) return { ahead: 0, behind: 0 };
    const [sa, sb] = [await this.ancestors(a), await this.ancestors(b)];
    let ahead = 0;
    let behind = 0;
    for (const o of sa) if (!sb.has(o)) ahead++;
    for (const o of sb) if (!sa.has(o)) behind++;
    return { ahead, behind };
  }

  /** The entry at a path in a tree, reading only the trees along the path. */
  async entryAt(tree: string, path: string): Promise<Entry | { oid: string; mode: '40000' } | undefined> {
    let oid = tree;
    const parts = path === '' ? [] : path.split('/');
    if (parts.length === 0) return { oid, mode: '40000' };
    for (let i = 0; i < parts.length; i++) {
      const obj = this.store.get(oid) ?? (await this.store.tryRead(oid));
      if (!obj || obj.type !== 'tree') return undefined;
      const e = decodeTree(obj.bytes).find((x) => x.name === parts[i]);
      if (!e) return undefined;
      if (i === parts.length - 1)
        return e.mode === '40000' ? { oid: e.oid, mode: '40000' } : { oid: e.oid, mode: e.mode as FileMode };
      if (e.mode !== '40000') return undefined;
      oid = e.oid;
    }
    return undefined;
  }
}
