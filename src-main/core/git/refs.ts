/**
 * Branches, tags and HEAD. The Map is the truth in memory; a persisted repository mirrors every change to
 * its git directory (atomically, see store-disk.ts) before the Map changes, so memory never claims a ref
 * the disk does not have.
 */
import { GovcError } from '../../../src-shared/errors';
import type { DiskGitDir } from './store-disk';

export type Head = { symbolic: string } | { detached: string };

export const HEADS = 'refs/heads/';
export const TAGS = 'refs/tags/';

export class RefTable {
  constructor(
    private head: Head,
    private readonly refs: Map<string, string>,
    private disk?: DiskGitDir,
  ) {}

  attachDisk(disk: DiskGitDir): void {
    this.disk = disk;
    disk.writeHead(this.head);
    for (const [name, oid] of this.refs) disk.writeRef(name, oid);
  }

  getHead(): Head {
    return this.head;
  }

  /** The branch HEAD points at (short name), or undefined when detached. */
  currentBranch(): string | undefined {
    return 'symbolic' in this.head && this.head.symbolic.startsWith(HEADS)
      ? this.head.symbolic.slice(HEADS.length)
      : undefined;
  }

  /** The commit HEAD resolves to, or undefined on an unborn branch. */
  headOid(): string | undefined {
    return 'symbolic' in this.head ? this.refs.get(this.head.symbolic) : this.head.detached;
  }

  get(name: string): string | undefined {
    return this.refs.get(name);
  }

  has(name: string): boolean {
    return this.refs.has(name);
  }

  *list(prefix: string): Iterable<[string, string]> {
    for (const [name, oid] of this.refs) if (name.startsWith(prefix)) yield [name, oid];
  }

  all(): Map<string, string> {
    return new Map(this.refs);
  }

  /**
   * git stores refs as files, so `a` and `a/b` cannot both exist. Checked before creating a ref, the same
   * way in memory and on disk.
   */
  checkNoDirConflict(name: string): void {
    for (const other of this.refs.keys()) {
      if (other.startsWith(name + '/') || name.startsWith(other + '/')) {
        throw new GovcError('REF_EXISTS', `Cannot create ${name}: it conflicts with the existing ref ${other}`, {
          ref: name,
          conflictsWith: other,
        });
      }
    }
  }

  set(name: string, oid: string): void {
    this.disk?.writeRef(name, oid);
    this.refs.set(name, oid);
  }

  delete(name: string): void {
    this.disk?.deleteRef(name);
    this.refs.delete(name);
  }

  setHead(head: Head): void {
    this.disk?.writeHead(head);
    this.head = head;
  }

  /** Moves whatever HEAD points at (the current branch, or HEAD itself when detached). */
  advanceHead(oid: string): void {
    if ('symbolic' in this.head) this.set(this.head.symbolic, oid);
    else this.setHead({ detached: oid });
  }
}
