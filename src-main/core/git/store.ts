/**
 * The object store: a Map from oid to object is the truth for memory-only repositories and the cache for
 * persisted ones. Objects created since the last flush are remembered as unpersisted until the disk
 * layer has them; a failed flush keeps them pending, so a retry never references an object that is not
 * on disk.
 */
import { GovcError } from '../../../src-shared/errors';
import { EMPTY_TREE_OID, hashObject, type GitObject, type ObjectType } from './objects';

/** Like git, every repository knows the empty tree, written or not. */
const EMPTY_TREE: GitObject = { type: 'tree', bytes: Buffer.alloc(0) };
import type { DiskGitDir } from './store-disk';

export class ObjectStore {
  private readonly mem = new Map<string, GitObject>();
  private readonly unpersisted = new Map<string, GitObject>();

  constructor(private disk?: DiskGitDir) {}

  get persisted(): boolean {
    return this.disk !== undefined;
  }

  /** Switches a memory store to disk persistence: everything held so far becomes pending for the disk. */
  attachDisk(disk: DiskGitDir): void {
    this.disk = disk;
    for (const [oid, obj] of this.mem) this.unpersisted.set(oid, obj);
  }

  get size(): number {
    return this.mem.size;
  }

  /** Adds an object (idempotent) and returns its oid. */
  put(type: ObjectType, bytes: Buffer): string {
    const oid = hashObject(type, bytes);
    if (!this.mem.has(oid)) {
      const obj = { type, bytes };
      this.mem.set(oid, obj);
      if (this.disk) this.unpersisted.set(oid, obj);
    }
    return oid;
  }

  /** Adds an object whose oid is already known (import, where the source has hashed it). */
  putKnown(oid: string, obj: GitObject): void {
    if (this.mem.has(oid)) return;
    this.mem.set(oid, obj);
    if (this.disk) this.unpersisted.set(oid, obj);
  }

  /** Synchronous lookup: memory, then loose objects on disk. Packed objects need `read`. */
  get(oid: string): GitObject | undefined {
    const hit = this.mem.get(oid) ?? (oid === EMPTY_TREE_OID ? EMPTY_TREE : undefined);
    if (hit || !this.disk) return hit;
    const loose = this.disk.readLoose(oid);
    if (loose) this.mem.set(oid, loose);
    return loose;
  }

  has(oid: string): boolean {
    return this.get(oid) !== undefined;
  }

  async tryRead(oid: string): Promise<GitObject | undefined> {
    const hit = this.get(oid);
    if (hit || !this.disk) return hit;
    const obj = await this.disk.read(oid);
    if (obj) this.mem.set(oid, obj);
    return obj;
  }

  async read(oid: string, expected?: ObjectType): Promise<GitObject> {
    const obj = await this.tryRead(oid);
    if (!obj) throw new GovcError('OBJECT_NOT_FOUND', `Object ${oid} is not in this repository`, { oid });
    if (expected && obj.type !== expected) {
      throw new GovcError('OBJECT_NOT_FOUND', `Object ${oid} is a ${obj.type}, not a ${expected}`, { oid });
    }
    return obj;
  }

  /** Oids starting with a prefix, in memory and on disk (for abbreviated revisions). */
  oidsWithPrefix(prefix: string): string[] {
    const out = new Set<string>();
    for (const oid of this.mem.keys()) if (oid.startsWith(prefix)) out.add(oid);
    for (const oid of this.disk?.findByPrefix(prefix) ?? []) out.add(oid);
    return [...out];
  }

  /** Writes every pending object to disk (fsynced) before returning; a no-op for memory stores. */
  flush(): void {
    if (!this.disk || this.unpersisted.size === 0) return;
    this.disk.writeObjects(this.unpersisted);
    this.unpersisted.clear();
  }
}
