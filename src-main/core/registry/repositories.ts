/**
 * What the registry knows beyond bytes: repositories, their manifests and tags, which blobs each
 * repository may serve (its links), and how many manifests reference each blob. Reference counts let the
 * garbage collector decide in one synchronous pass; every mutation here is synchronous for the same
 * reason. Persisted as the OCI layout's `index.json`: one descriptor per tag (ref.name `<repo>:<tag>`)
 * or per untagged manifest, each annotated with its repository.
 */
import type { ParsedManifest } from './manifest';

import { REPOSITORY_ANNOTATION } from '../build/store/layout-index';

export { REPOSITORY_ANNOTATION };
export const REF_NAME = 'org.opencontainers.image.ref.name';

export interface ManifestRecord {
  digest: string;
  mediaType: string;
  size: number;
  /** Everything the manifest keeps alive: its blobs and, for an index, its manifests. */
  refs: string[];
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface Repository {
  name: string;
  tags: Map<string, string>;
  manifests: Map<string, ManifestRecord>;
  /** Blobs this repository may serve, with when they were last linked (ms since epoch). */
  links: Map<string, number>;
}

export interface IndexDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
}

export function manifestRecord(digest: string, size: number, parsed: ParsedManifest): ManifestRecord {
  return {
    digest,
    size,
    mediaType: parsed.mediaType,
    refs: [...new Set([...parsed.blobs, ...parsed.manifests])],
    ...(parsed.subject === undefined ? {} : { subject: parsed.subject }),
    ...(parsed.artifactType === undefined ? {} : { artifactType: parsed.artifactType }),
    ...(parsed.annotations === undefined ? {} : { annotations: parsed.annotations }),
  };
}

export class RepositoryIndex {
  private readonly repos = new Map<string, Repository>();
  /** Per digest: the number of (repository, manifest) pairs that hold it, as the manifest or a reference. */
  private readonly refCounts = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  get(name: string): Repository | undefined {
    return this.repos.get(name);
  }

  names(): string[] {
    return [...this.repos.keys()].sort();
  }

  all(): Repository[] {
    return [...this.repos.values()];
  }

  private ensure(name: string): Repository {
    let repo = this.repos.get(name);
    if (repo === undefined) {
      repo = { name, tags: new Map(), manifests: new Map(), links: new Map() };
      this.repos.set(name, repo);
    }
    return repo;
  }

  link(name: string, digest: string): void {
    this.ensure(name).links.set(digest, this.now());
  }

  isLinked(name: string, digest: string): boolean {
    return this.repos.get(name)?.links.has(digest) ?? false;
  }

  /** Removes the repository's link to a blob; its manifests keep their own references. */
  unlink(name: string, digest: string): boolean {
    const repo = this.repos.get(name);
    const had = repo?.links.delete(digest) ?? false;
    if (repo !== undefined) this.dropIfEmpty(repo);
    return had;
  }

  refCount(digest: string): number {
    return this.refCounts.get(digest) ?? 0;
  }

  /** Adds (or re-adds) a manifest to a repository, optionally tagging it. */
  addManifest(name: string, record: ManifestRecord, tag?: string): void {
    const repo = this.ensure(name);
    if (!repo.manifests.has(record.digest)) {
      repo.manifests.set(record.digest, record);
      for (const digest of [record.digest, ...record.refs]) this.count(digest, +1);
    }
    this.link(name, record.digest);
    for (const ref of record.refs) this.link(name, ref);
    if (tag !== undefined) repo.tags.set(tag, record.digest);
  }

  /** Removes a manifest and every tag that points at it. */
  removeManifest(name: string, digest: string): boolean {
    const repo = this.repos.get(name);
    const record = repo?.manifests.get(digest);
    if (repo === undefined || record === undefined) return false;
    repo.manifests.delete(digest);
    for (const [tag, target] of repo.tags) if (target === digest) repo.tags.delete(tag);
    for (const d of [record.digest, ...record.refs]) this.count(d, -1);
    repo.links.delete(digest);
    this.dropIfEmpty(repo);
    return true;
  }

  removeTag(name: string, tag: string): boolean {
    const repo = this.repos.get(name);
    return repo?.tags.delete(tag) ?? false;
  }

  /**
   * Drops links older than `before` that no manifest of their repository references: blobs uploaded
   * for a push that never completed. Their blobs then have no holder left and the GC can remove them.
   */
  pruneLinks(before: number): void {
    for (const repo of this.repos.values()) {
      const held = new Set<string>();
      for (const record of repo.manifests.values()) {
        held.add(record.digest);
        for (const ref of record.refs) held.add(ref);
      }
      for (const [digest, at] of repo.links) if (at < before && !held.has(digest)) repo.links.delete(digest);
      this.dropIfEmpty(repo);
    }
  }

  /** Whether any repository links the digest at or after `since`. */
  linkedSince(digest: string, since: number): boolean {
    for (const repo of this.repos.values()) {
      const at = repo.links.get(digest);
      if (at !== undefined && at >= since) return true;
    }
    return false;
  }

  private count(digest: string, delta: number): void {
    const next = (this.refCounts.get(digest) ?? 0) + delta;
    if (next <= 0) this.refCounts.delete(digest);
    else this.refCounts.set(digest, next);
  }

  private dropIfEmpty(repo: Repository): void {
    if (repo.manifests.size === 0 && repo.links.size === 0 && repo.tags.size === 0) this.repos.delete(repo.name);
  }

  /** The layout's index.json entries for every manifest of every repository. */
  toIndex(): IndexDescriptor[] {
    const out: IndexDescriptor[] = [];
    for (const repo of [...this.repos.values()].sort((a, b) => cmp(a.name, b.name))) {
      const tagsOf = new Map<string, string[]>();
      for (const [tag, digest] of repo.tags) tagsOf.set(digest, [...(tagsOf.get(digest) ?? []), tag]);
      for (const record of repo.manifests.values()) {
        const base = { mediaType: record.mediaType, digest: record.digest, size: record.size };
        const tags = (tagsOf.get(record.digest) ?? []).sort();
        if (tags.length === 0) out.push({ ...base, annotations: { [REPOSITORY_ANNOTATION]: repo.name } });
        for (const tag of tags) {
          out.push({ ...base, annotations: { [REPOSITORY_ANNOTATION]: repo.name, [REF_NAME]: `${repo.name}:${tag}` } });
        }
      }
    }
    return out;
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
