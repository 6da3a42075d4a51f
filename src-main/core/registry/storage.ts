/**
 * Content-addressed storage: blobs named by digest, written through a verifying writer and read whole or
 * by range. Manifests are blobs too. This is the lower layer of the engine's one store: the build engine's
 * ContentStore (build/store/content-store.ts, which owns index.json and the GC) sits on it, and the
 * registry keeps repositories, tags and reference counts itself (repositories.ts) on the same blobs, so a
 * layer is stored once whoever wrote it.
 *
 * Two implementations: MemoryBlobStore (nothing on disk) and LayoutBlobStore (an OCI image layout on
 * disk with small blobs also kept in memory).
 */
import type { Readable } from 'node:stream';
import type { DigestAlgorithm } from './digest';

export interface BlobInfo {
  readonly digest: string;
  readonly size: number;
}

/** Inclusive byte offsets, as HTTP ranges write them. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * An upload in progress. Bytes are hashed as they arrive and stay invisible to readers until `commit`
 * has verified them, so a client that dies mid-upload never leaves a partial blob behind.
 */
export interface BlobWriter {
  readonly algorithm: DigestAlgorithm;
  /** Bytes received so far. */
  readonly size: number;
  write(chunk: Uint8Array): Promise<void>;
  /** Waits until what `write` accepted is written (a writer may write behind the caller); not a sync. */
  settle?(): Promise<void>;
  /**
   * Verifies the content against `expected` (re-hashing when it names another algorithm) and publishes it
   * under that digest; when the store already has it, the new copy is dropped. Fails with DIGEST_INVALID.
   */
  commit(expected: string): Promise<BlobInfo>;
  /** Drops what was received; safe to call more than once. */
  abort(): Promise<void>;
}

/** When a blob was last stored (ms) and the store's generation then (see BlobStore.generation). */
export interface StoredAt {
  readonly at: number;
  readonly seq: number;
}

export interface BlobStore {
  /** Whether blobs survive a restart. */
  readonly persistent: boolean;
  /** Synchronous on purpose: callers decide and act in one turn of the event loop (no GC in between). */
  stat(digest: string): BlobInfo | undefined;
  /**
   * The whole blob, or a range of it: one buffer, chunks in order (views into the store's memory: read
   * them, never change them), or a stream; BLOB_UNKNOWN when absent.
   */
  open(digest: string, range?: ByteRange): Promise<Buffer | Buffer[] | Readable>;
  /** The whole blob in memory (manifests and configs). */
  get(digest: string): Promise<Buffer>;
  /** Stores bytes under their digest in `algorithm`; with `expected`, refuses other bytes. */
  put(data: Uint8Array, expected?: string): Promise<BlobInfo>;
  writer(algorithm: DigestAlgorithm): BlobWriter;
  /** A blob read synchronously: manifests, when persisted metadata is loaded at start. */
  readSync(digest: string): Buffer;
  /**
   * Removes a blob at once (readers that already opened it finish). Returns whether it removed it: a blob
   * being published by a writer at that moment is not removed, so a delete never races a put of it.
   */
  delete(digest: string): boolean;
  /** When the blob was last stored or stored again; undefined when absent. */
  stored(digest: string): StoredAt | undefined;
  /** Grows with every store: a GC that began at generation g keeps blobs whose `seq` is above g. */
  generation(): number;
  list(): BlobInfo[];
  /** Total bytes stored. */
  bytes(): number;
}
