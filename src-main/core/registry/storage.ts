/**
 * The registry's view of content-addressed storage: blobs named by digest, written through a verifying
 * writer and read whole or by range. Manifests are blobs too. The registry keeps repositories, tags and
 * reference counts itself (repositories.ts); a store only knows bytes, so one store can be shared with
 * the build engine and a layer is stored once whoever wrote it.
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
  /**
   * Verifies the content against `expected` (re-hashing when it names another algorithm) and publishes it
   * under that digest; when the store already has it, the new copy is dropped. Fails with DIGEST_INVALID.
   */
  commit(expected: string): Promise<BlobInfo>;
  /** Drops what was received; safe to call more than once. */
  abort(): Promise<void>;
}

export interface BlobStore {
  /** Whether blobs survive a restart. */
  readonly persistent: boolean;
  /** Synchronous on purpose: callers decide and act in one turn of the event loop (no GC in between). */
  stat(digest: string): BlobInfo | undefined;
  /** The whole blob, or a range of it; BLOB_UNKNOWN when absent. */
  open(digest: string, range?: ByteRange): Promise<Buffer | Readable>;
  /** The whole blob in memory (manifests and configs). */
  get(digest: string): Promise<Buffer>;
  /** Stores bytes under their digest in `algorithm`; with `expected`, refuses other bytes. */
  put(data: Uint8Array, expected?: string): Promise<BlobInfo>;
  writer(algorithm: DigestAlgorithm): BlobWriter;
  /** Removes a blob at once (readers that already opened it finish). Returns whether it existed. */
  delete(digest: string): boolean;
  list(): BlobInfo[];
  /** Total bytes stored. */
  bytes(): number;
}
