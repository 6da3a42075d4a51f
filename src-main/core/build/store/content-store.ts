/**
 * The engine's content-addressed store: blobs named by their sha256, and named references to manifests.
 * Memory-first: it can live purely in memory (tests, throwaway builds), or persist write-through as an OCI
 * image layout (`oci-layout`, `index.json`, `blobs/sha256/<hex>`), so the folder itself is an image
 * layout that skopeo, umoci and buildah read as `oci:DIR:NAME`. One instance serves the whole engine.
 */
import { mkdir, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { MediaType, REF_NAME, type Descriptor, type ImageIndex, type ImageManifest } from '../oci/types';
import { TEMP_PREFIX, writeFileAtomic } from './atomic';
import { digestHex, isDigest, sha256, type Digest } from './digest';

export interface BlobInfo {
  digest: Digest;
  size: number;
}

export interface GcResult {
  removed: Digest[];
  freedBytes: number;
}

/** Blobs kept in memory when persisting; beyond it the oldest are dropped from memory (still on disk). */
const DEFAULT_MEMORY_BUDGET = 256 * 1024 * 1024;
const OCI_LAYOUT = JSON.stringify({ imageLayoutVersion: '1.0.0' });

export class ContentStore {
  private readonly blobs = new Map<Digest, Buffer>();
  private memoryBytes = 0;
  private index: Descriptor[] = [];
  /** Serialises index.json updates: concurrent tags must not lose each other's writes. */
  private indexLock: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string | undefined,
    private readonly memoryBudget: number,
  ) {}

  static inMemory(): ContentStore {
    return new ContentStore(undefined, Number.POSITIVE_INFINITY);
  }

  /** Opens (creating when absent) an OCI layout folder as a persistent store. */
  static async open(dir: string, options: { memoryBudgetBytes?: number } = {}): Promise<ContentStore> {
    const store = new ContentStore(dir, options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET);
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
    const layoutFile = join(dir, 'oci-layout');
    const layout = await readFile(layoutFile, 'utf8').catch(() => undefined);
    if (layout === undefined) await writeFileAtomic(layoutFile, OCI_LAYOUT);
    else if (!/"imageLayoutVersion"\s*:\s*"1\.0\.0"/.test(layout))
      throw new GovcError('BAD_STORE', `${dir} is not an OCI image layout version 1.0.0`);
    const indexText = await readFile(join(dir, 'index.json'), 'utf8').catch(() => undefined);
    if (indexText === undefined) await store.writeIndex();
    else store.index = parseIndex(indexText, dir).manifests;
    return store;
  }

  /** Stores bytes; with `expected`, refuses them unless they hash to it. Idempotent. */
  async put(data: Uint8Array, expected?: Digest): Promise<BlobInfo> {
    const digest = sha256(data);
    if (expected !== undefined && expected !== digest)
      throw new GovcError('DIGEST_MISMATCH', `Content hashes to ${digest}, expected ${expected}`, {
        expected,
        actual: digest,
      });
    const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (this.dir !== undefined && !(await this.onDisk(digest))) await writeFileAtomic(this.blobPath(digest), buffer);
    this.remember(digest, buffer);
    return { digest, size: buffer.byteLength };
  }

  /** Serialises a JSON document (the caller fixes key order) and stores it as a blob. */
  async putJson(value: unknown, mediaType: string): Promise<Descriptor> {
    const { digest, size } = await this.put(Buffer.from(JSON.stringify(value)));
    return { mediaType, digest, size };
  }

  async get(digest: Digest): Promise<Buffer> {
    const cached = this.blobs.get(digest);
    if (cached) return cached;
    if (this.dir !== undefined && isDigest(digest)) {
      const data = await readFile(this.blobPath(digest)).catch(() => undefined);
      if (data) {
        // A blob changed on disk behind our back must not be served under its old name.
        if (sha256(data) !== digest) throw new GovcError('DIGEST_MISMATCH', `Blob ${digest} is corrupt on disk`);
        this.remember(digest, data);
        return data;
      }
    }
    throw new GovcError('NOT_FOUND', `Blob ${digest} is not in the store`, { digest });
  }

  async getJson<T>(digest: Digest): Promise<T> {
    return JSON.parse((await this.get(digest)).toString('utf8')) as T;
  }

  async has(digest: Digest): Promise<boolean> {
    return this.blobs.has(digest) || (this.dir !== undefined && isDigest(digest) && (await this.onDisk(digest)));
  }

  async list(): Promise<BlobInfo[]> {
    const seen = new Map<Digest, number>();
    for (const [digest, data] of this.blobs) seen.set(digest, data.byteLength);
    if (this.dir !== undefined) {
      for (const name of await readdir(join(this.dir, 'blobs', 'sha256'))) {
        const digest = `sha256:${name}`;
        if (!isDigest(digest) || seen.has(digest)) continue;
        seen.set(digest, (await stat(this.blobPath(digest))).size);
      }
    }
    return [...seen].map(([digest, size]) => ({ digest, size })).sort((a, b) => cmp(a.digest, b.digest));
  }

  async delete(digest: Digest): Promise<boolean> {
    const data = this.blobs.get(digest);
    if (data) {
      this.blobs.delete(digest);
      this.memoryBytes -= data.byteLength;
    }
    let removed = data !== undefined;
    if (this.dir !== undefined && isDigest(digest)) {
      removed =
        (await unlink(this.blobPath(digest)).then(
          () => true,
          () => false,
        )) || removed;
    }
    return removed;
  }

  /** Names a manifest (or index); a name points at one descriptor, so tagging again moves it. */
  async tag(name: string, descriptor: Descriptor): Promise<void> {
    validateRefName(name);
    if (!(await this.has(descriptor.digest)))
      throw new GovcError('NOT_FOUND', `Cannot tag ${name}: ${descriptor.digest} is not in the store`);
    await this.updateIndex((entries) => [
      ...entries.filter((d) => d.annotations?.[REF_NAME] !== name),
      { ...descriptor, annotations: { ...descriptor.annotations, [REF_NAME]: name } },
    ]);
  }

  async untag(name: string): Promise<boolean> {
    let found = false;
    await this.updateIndex((entries) =>
      entries.filter((d) => {
        const match = d.annotations?.[REF_NAME] === name;
        found ||= match;
        return !match;
      }),
    );
    return found;
  }

  resolve(name: string): Descriptor | undefined {
    return this.index.find((d) => d.annotations?.[REF_NAME] === name);
  }

  /** Everything index.json lists, named or not (layouts written by other tools may hold unnamed entries). */
  indexEntries(): Descriptor[] {
    return [...this.index];
  }

  refs(): Array<{ name: string; descriptor: Descriptor }> {
    return this.index
      .filter((d) => d.annotations?.[REF_NAME] !== undefined)
      .map((d) => ({ name: d.annotations![REF_NAME]!, descriptor: d }));
  }

  /**
   * Deletes every blob not reachable from a named reference or from `extraRoots` (e.g. the build cache's
   * layers), following manifests to their config and layers and indexes to their manifests.
   */
  async gc(extraRoots: Iterable<Digest> = []): Promise<GcResult> {
    const live = new Set<Digest>();
    const pending: Array<{ digest: Digest; mediaType?: string }> = [
      ...this.index.map((d) => ({ digest: d.digest, mediaType: d.mediaType })),
      ...[...extraRoots].map((digest) => ({ digest })),
    ];
    while (pending.length > 0) {
      const { digest, mediaType } = pending.pop()!;
      if (live.has(digest) || !(await this.has(digest))) continue;
      live.add(digest);
      for (const child of await this.children(digest, mediaType)) pending.push(child);
    }
    const removed: Digest[] = [];
    let freedBytes = 0;
    for (const blob of await this.list()) {
      if (live.has(blob.digest)) continue;
      await this.delete(blob.digest);
      removed.push(blob.digest);
      freedBytes += blob.size;
    }
    if (this.dir !== undefined) await this.removeStaleTemps();
    return { removed, freedBytes };
  }

  private async children(digest: Digest, mediaType: string | undefined): Promise<Descriptor[]> {
    const type = mediaType ?? (await this.sniffMediaType(digest));
    if (type === MediaType.manifest || type === MediaType.dockerManifest) {
      const manifest = await this.getJson<ImageManifest>(digest);
      return [manifest.config, ...manifest.layers];
    }
    if (type === MediaType.index || type === MediaType.dockerManifestList)
      return (await this.getJson<ImageIndex>(digest)).manifests;
    return [];
  }

  /** Roots given as bare digests carry no media type; small JSON documents say what they are. */
  private async sniffMediaType(digest: Digest): Promise<string | undefined> {
    const data = await this.get(digest);
    if (data.byteLength > 4 * 1024 * 1024 || data[0] !== 0x7b) return undefined;
    try {
      const doc = JSON.parse(data.toString('utf8')) as { mediaType?: unknown; manifests?: unknown; layers?: unknown };
      if (typeof doc.mediaType === 'string') return doc.mediaType;
      if (Array.isArray(doc.manifests)) return MediaType.index;
      if (Array.isArray(doc.layers)) return MediaType.manifest;
    } catch {
      /* not JSON: a layer or config */
    }
    return undefined;
  }

  private async updateIndex(change: (entries: Descriptor[]) => Descriptor[]): Promise<void> {
    const run = this.indexLock.then(async () => {
      this.index = change(this.index);
      if (this.dir !== undefined) await this.writeIndex();
    });
    this.indexLock = run.catch(() => undefined);
    await run;
  }

  private async writeIndex(): Promise<void> {
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.index, manifests: this.index };
    await writeFileAtomic(join(this.dir!, 'index.json'), JSON.stringify(index));
  }

  private async removeStaleTemps(): Promise<void> {
    for (const folder of [this.dir!, join(this.dir!, 'blobs', 'sha256')]) {
      for (const name of await readdir(folder)) {
        if (name.startsWith(TEMP_PREFIX)) await rm(join(folder, name), { force: true });
      }
    }
  }

  private blobPath(digest: Digest): string {
    return join(this.dir!, 'blobs', 'sha256', digestHex(digest));
  }

  private async onDisk(digest: Digest): Promise<boolean> {
    return stat(this.blobPath(digest)).then(
      () => true,
      () => false,
    );
  }

  private remember(digest: Digest, data: Buffer): void {
    if (this.blobs.has(digest) || data.byteLength > this.memoryBudget) return;
    this.blobs.set(digest, data);
    this.memoryBytes += data.byteLength;
    // Persistent stores keep only recent blobs in memory; the folder has them all.
    for (const [old, bytes] of this.blobs) {
      if (this.memoryBytes <= this.memoryBudget) break;
      this.blobs.delete(old);
      this.memoryBytes -= bytes.byteLength;
    }
  }
}

function parseIndex(text: string, dir: string): ImageIndex {
  let index: ImageIndex;
  try {
    index = JSON.parse(text) as ImageIndex;
  } catch {
    throw new GovcError('BAD_STORE', `${dir}/index.json is not valid JSON`);
  }
  if (index.schemaVersion !== 2 || !Array.isArray(index.manifests))
    throw new GovcError('BAD_STORE', `${dir}/index.json is not an OCI image index`);
  for (const d of index.manifests) {
    if (!isDigest(d.digest))
      throw new GovcError('BAD_STORE', `${dir}/index.json names a bad digest ${String(d.digest)}`);
  }
  return index;
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
