/**
 * The repository service seen as a DefinitionSource and DefinitionWriter. Changes since a mark come from
 * the two things that can move: HEAD's tree (a commit, checkout or merge; diffed tree to tree, skipping
 * equal subtrees) and the work-tree overlays (the paths that differ from HEAD, which the repository keeps
 * as small maps). Both cost the size of the change.
 */
import { diffTrees } from '../git/diff';
import { EMPTY_TREE_OID, type Entry } from '../git/objects';
import type { Repo } from '../git/repo';
import type { RepoService } from '../git/service';
import type { Snapshot } from '../git/snapshot';
import type { DefinitionSource, DefinitionWriter, FileSet } from './source';

interface Mark {
  tree: string;
  /** Overlaid paths and their work-tree content id (null: deleted in the work tree). */
  work: Map<string, string | null>;
}

function regular(e: Entry | undefined): string | undefined {
  return e && (e.mode === '100644' || e.mode === '100755') ? e.oid : undefined;
}

export type RepoDefinitions = DefinitionSource & DefinitionWriter;

export class RepoSource implements RepoDefinitions {
  constructor(readonly repo: Repo) {}

  oidOf(path: string): string | undefined {
    return regular(this.repo.wt.workEntry(path));
  }

  *filesUnder(dir: string): Iterable<[string, string]> {
    for (const [p, e] of this.repo.wt.files(dir)) {
      const oid = regular(e);
      if (oid !== undefined) yield [p, oid];
    }
  }

  async readBlob(oid: string): Promise<Uint8Array> {
    return this.repo.blob(oid);
  }

  mark(): Mark {
    const work = new Map<string, string | null>();
    for (const p of this.repo.wt.changedPaths()) work.set(p, this.oidOf(p) ?? null);
    return { tree: this.repo.wt.head.root, work };
  }

  async changedSince(since: unknown): Promise<{ paths: string[]; mark: Mark }> {
    const old = since as Mark;
    const now = this.mark();
    const paths = new Set<string>();
    if (old.tree !== now.tree) {
      const tree = (oid: string): string | undefined => (oid === EMPTY_TREE_OID ? undefined : oid);
      for (const change of await diffTrees(this.repo.store, tree(old.tree), tree(now.tree))) paths.add(change.path);
    }
    for (const [p, oid] of old.work) if (now.work.get(p) !== oid) paths.add(p);
    for (const [p, oid] of now.work) if (old.work.get(p) !== oid) paths.add(p);
    return { paths: [...paths], mark: now };
  }

  async atRevision(ref: string): Promise<{ commit: string; files: FileSet }> {
    const commit = await this.repo.history.resolve(ref);
    return { commit, files: snapshotFiles(await this.repo.snapshotOf(commit), this.repo) };
  }

  async write(path: string, text: string): Promise<void> {
    await this.repo.writeFile(path, Buffer.from(text, 'utf8'));
  }

  async remove(path: string): Promise<string[]> {
    return (await this.repo.deleteFile(path)).deleted;
  }

  async stage(paths: string[]): Promise<void> {
    // A file added and deleted again without staging has nothing left to stage.
    const changed = this.repo.wt.changedPaths(paths);
    if (changed.length > 0) await this.repo.stage(changed);
  }

  async commit(
    message: string,
    author: { name: string; email: string } | undefined,
    actor: { id: string; name: string },
  ): Promise<string> {
    return (await this.repo.commit({ message, all: false, ...(author ? { author } : {}) }, actor)).hash;
  }
}

function snapshotFiles(snap: Snapshot, repo: Repo): FileSet {
  return {
    oidOf: (path) => regular(snap.files.get(path)),
    *filesUnder(dir) {
      for (const [p, e] of snap.filesUnder(dir)) {
        const oid = regular(e);
        if (oid !== undefined) yield [p, oid];
      }
    },
    readBlob: async (oid) => repo.blob(oid),
  };
}

/** One source per open repository object: a repository deleted and created again gets a new one. */
export function repoSources(repos: RepoService): { open(id: string): Promise<RepoSource> } {
  const sources = new WeakMap<Repo, RepoSource>();
  return {
    async open(id) {
      const repo = await repos.get(id);
      let source = sources.get(repo);
      if (!source) sources.set(repo, (source = new RepoSource(repo)));
      return source;
    },
  };
}
