/**
 * What the definitions index needs from a repository, and nothing more, so that detection, analysis and
 * indexing are written (and tested) against this small interface rather than the repository service.
 * Content ids are git blob ids: equal ids mean equal bytes, which is what lets analyses be cached.
 */

/** Where a view of the work tree stood; handed back to `changedSince`. Opaque to the index. */
export type SourceMark = unknown;

/** A read-only set of files: the work tree, or one revision. */
export interface FileSet {
  /** Content id of a regular file; undefined when there is none (or it is a symlink or submodule). */
  oidOf(path: string): string | undefined;
  /** Regular files at or under a directory ('' = all), with content ids. Costs the subtree's size. */
  filesUnder(dir: string): Iterable<[path: string, oid: string]>;
  readBlob(oid: string): Promise<Uint8Array>;
}

export interface DefinitionSource extends FileSet {
  /** Where the work tree stands now. */
  mark(): SourceMark;
  /**
   * Paths whose work-tree file may differ from when `since` was taken (a superset is fine), and the new
   * mark. Costs the size of the change, not of the repository.
   */
  changedSince(since: SourceMark): Promise<{ paths: string[]; mark: SourceMark }>;
  /** The files of a revision; costs a full read of its tree. */
  atRevision(ref: string): Promise<{ commit: string; files: FileSet }>;
}

/** The writes definitions make: through the repository, with its checks and its events. */
export interface DefinitionWriter {
  write(path: string, text: string): Promise<void>;
  /** Deletes a file or a whole directory; returns the deleted files. */
  remove(path: string): Promise<string[]>;
  stage(paths: string[]): Promise<void>;
  commit(
    message: string,
    author: { name: string; email: string } | undefined,
    actor: { id: string; name: string },
  ): Promise<string>;
}
