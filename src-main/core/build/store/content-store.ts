/**
 * The engine's content-addressed store: blobs named by digest, and named references to manifests. One
 * instance serves the whole engine (builds, the registry, imports), so a layer is stored once however many
 * tags, repositories and pushes name it. Two layers:
 *
 * - bytes: a BlobStore (registry/storage.ts) — in memory, or an OCI image layout folder (`oci-layout`,
 *   `blobs/<alg>/<hex>`) written through verifying streaming writers, with ranges, sha512, a synchronous
 *   in-memory index and deletes that never race a put of the same digest;
 * - names: `index.json` (layout-index.ts), which this class alone writes: local images by ref.name, and the
 *   registry's manifests annotated with their repository.
 *
 * The folder is an image layout that skopeo, umoci and buildah read as `oci:DIR:NAME`.
 */
import { readFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { LayoutBlobStore } from '../../registry/layout-store';
import { MemoryBlobStore } from '../../registry/memory-store';
import type { BlobStore } from '../../registry/storage';
import { REF_NAME, type Descriptor } from '../oci/types';
import { TEMP_PREFIX } from './atomic';
import { isDigest, type Digest } from './digest';
import { collectGarbage, type GcOptions, type GcResult } from './gc';
import { LayoutIndex, isRegistryEntry } from './layout-index';

export type { GcOptions, GcResult } from './gc';
export { REPOSITORY_ANNOTATION } from './layout-index';

export interface BlobInfo {
  digest: Digest;
  size: number;
}

export interface ContentStoreOptions {
  /** Recent small blobs kept in memory besides the folder. */
  memoryBudgetBytes?: number;
  /** fsync blobs before publishing them (off only where losing data to a power cut is fine). */
  durable?: boolean;
  /** The clock of the GC's grace period (tests move it). */
  now?: () => number;
}

/** Blobs kept in memory when persisting; beyond it the oldest are dropped from memory (still on disk). */
const DEFAULT_MEMORY_BUDGET = 256 * 1024 * 1024;

export class ContentStore {
  private readonly rootProviders = new Set<() => Iterable<string>>();

  private constructor(
    readonly dir: string | undefined,
    /** The bytes, shared with the registry. */
    readonly blobs: BlobStore,
    private readonly index: LayoutIndex,
    readonly now: () => number,
  ) {}

  static inMemory(options: Pick<ContentStoreOptions, 'now'> = {}): ContentStore {
    const now = options.now ?? Date.now;
    return new ContentStore(undefined, new MemoryBlobStore(now), new LayoutIndex(undefined), now);
  }

  /** Opens (creating when absent) an OCI layout folder as a persistent store. */
  static async open(dir: string, options: ContentStoreOptions = {}): Promise<ContentStore> {
    return ContentStore.openSync(dir, options);
  }

  /** As `open`, for the engine, which is assembled synchronously. */
  static openSync(dir: string, options: ContentStoreOptions = {}): ContentStore {
    const layoutText = readLayoutFile(dir);
    if (layoutText !== undefined && !/"imageLayoutVersion"\s*:\s*"1\.0\.0"/.test(layoutText))
      throw new GovcError('BAD_STORE', `${dir} is not an OCI image layout version 1.0.0`);
    const now = options.now ?? Date.now;
    const blobs = new LayoutBlobStore(dir, {
      memoryBudget: options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET,
      durable: options.durable ?? true,
      now,
    });
    return new ContentStore(dir, blobs, new LayoutIndex(dir), now);
  }

  /** Stores bytes; with `expected`, refuses them unless they hash to it. Idempotent. */
  async put(data: Uint8Array, expected?: Digest): Promise<BlobInfo> {
    const info = await this.blobs.put(data, expected).catch(translate);
    return { digest: info.digest as Digest, size: info.size };
  }

  /** Serialises a JSON document (the caller fixes key order) and stores it as a blob. */
  async putJson(value: unknown, mediaType: string): Promise<Descriptor> {
    const { digest, size } = await this.put(Buffer.from(JSON.stringify(value)));
    return { mediaType, digest, size };
  }

  async get(digest: Digest): Promise<Buffer> {
    if (!isDigest(digest)) throw new GovcError('NOT_FOUND', `Blob ${digest} is not in the store`, { digest });
    return this.blobs.get(digest).catch(translate);
  }

  async getJson<T>(digest: Digest): Promise<T> {
    return JSON.parse((await this.get(digest)).toString('utf8')) as T;
  }

  async has(digest: Digest): Promise<boolean> {
    return isDigest(digest) && this.blobs.stat(digest) !== undefined;
  }

  /** The sha256 blobs (the registry may also hold sha512 ones; `blobs.list()` has every blob). */
  async list(): Promise<BlobInfo[]> {
    return this.blobs
      .list()
      .filter((b): b is BlobInfo => isDigest(b.digest))
      .sort((a, b) => cmp(a.digest, b.digest));
  }

  async delete(digest: Digest): Promise<boolean> {
    return this.blobs.delete(digest);
  }

  /** Names a manifest (or index); a name points at one descriptor, so tagging again moves it. */
  async tag(name: string, descriptor: Descriptor): Promise<void> {
    validateRefName(name);
    if (!(await this.has(descriptor.digest)))
      throw new GovcError('NOT_FOUND', `Cannot tag ${name}: ${descriptor.digest} is not in the store`);
    this.index.update((entries) => [
      ...entries.filter((d) => isRegistryEntry(d) || d.annotations?.[REF_NAME] !== name),
      { ...descriptor, annotations: { ...descriptor.annotations, [REF_NAME]: name } },
    ]);
  }

  async untag(name: string): Promise<boolean> {
    let found = false;
    this.index.update((entries) =>
      entries.filter((d) => {
        const match = !isRegistryEntry(d) && d.annotations?.[REF_NAME] === name;
        found ||= match;
        return !match;
      }),
    );
    return found;
  }

  /** A local image by name (the registry's tags live in their repositories, not here). */
  resolve(name: string): Descriptor | undefined {
    return this.index.all().find((d) => !isRegistryEntry(d) && d.annotations?.[REF_NAME] === name);
  }

  /** Everything index.json lists, named or not (layouts written by other tools may hold unnamed entries). */
  indexEntries(): Descriptor[] {
    return this.index.all().filter((d) => !isRegistryEntry(d));
  }

  refs(): Array<{ name: string; descriptor: Descriptor }> {
    return this.indexEntries()
      .filter((d) => d.annotations?.[REF_NAME] !== undefined)
      .map((d) => ({ name: d.annotations![REF_NAME]!, descriptor: d }));
  }

  /** The registry's entries (see registry/persistence.ts). */
  registryEntries(): Descriptor[] {
    return this.index.all().filter(isRegistryEntry);
  }

  /** Replaces the registry's entries at once; local images stay. Synchronous, like the registry's state. */
  setRegistryEntries(entries: Descriptor[]): void {
    this.index.update((current) => [...current.filter((d) => !isRegistryEntry(d)), ...entries]);
  }

  /**
   * Adds a source of digests every GC keeps (with what they reference): the registry's repositories, the
   * build cache's layers. Returns a function that removes it.
   */
  addRoots(provider: () => Iterable<string>): () => void {
    this.rootProviders.add(provider);
    return () => this.rootProviders.delete(provider);
  }

  /**
   * Deletes every blob not reachable from index.json (local images and registry manifests), from a root
   * provider or from `extraRoots`, following manifests to their config and layers and indexes to their
   * manifests; blobs stored within `graceMs` (and while the GC runs) stay, since their writer may not
   * have referenced them yet.
   */
  async gc(extraRoots: Iterable<string> = [], options: GcOptions = {}): Promise<GcResult> {
    const roots = (): string[] => [
      ...this.index.all().map((d) => d.digest),
      ...[...this.rootProviders].flatMap((p) => [...p()]),
    ];
    const result = collectGarbage(this.blobs, roots, [...extraRoots], this.now, options);
    if (this.dir !== undefined) await this.removeStaleTemps();
    return result;
  }

  /** Temp files of an older store version (it wrote blobs beside their final name). */
  private async removeStaleTemps(): Promise<void> {
    const hourAgo = Date.now() - 3600_000;
    for (const folder of [this.dir!, join(this.dir!, 'blobs', 'sha256')]) {
      for (const name of await readdir(folder)) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const path = join(folder, name);
        const info = await stat(path).catch(() => undefined);
        if (info !== undefined && info.mtimeMs < hourAgo) await rm(path, { force: true });
      }
    }
  }
}

function readLayoutFile(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, 'oci-layout'), 'utf8');
  } catch {
    return undefined;
  }
}

/** The lower layer speaks the registry's error codes; the build engine's callers expect its own. */
function translate(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'BLOB_UNKNOWN') throw new GovcError('NOT_FOUND', message, detailOf(err));
  if (code === 'DIGEST_INVALID') throw new GovcError('DIGEST_MISMATCH', message, detailOf(err));
  throw err;
}

function detailOf(err: unknown): Record<string, unknown> | undefined {
  const detail = (err as { detail?: unknown }).detail;
  return typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : undefined;
}

/** The OCI ref.name grammar: components of alphanumerics joined by `-._:@+` or `--`, separated by `/`. */
const REF_NAME_RE = /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/;

export function validateRefName(name: string): void {
  if (name.length > 255 || !REF_NAME_RE.test(name))
    throw new GovcError('BAD_REQUEST', `Invalid image name "${name}"`, { name });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
