/**
 * Container definitions per repository: an incremental index of the work tree per repository (loaded on
 * first use), listings of other revisions (scanned, a few kept), writes through the repository, and the
 * definition.* events. Repository events (commit, checkout, merge) bring a loaded index up to date at
 * once; other work-tree writes are picked up by the next request, which syncs first at O(changed) cost.
 */
import type { Logger } from 'pino';
import {
  MAX_DEFINITION_BYTES,
  type Definition,
  type DefinitionType,
  type GraphEdge,
} from '../../../src-shared/contract/definitions';
import { GovcError } from '../../../src-shared/errors';
import type { EventBus, Subscription } from '../events/bus';
import { checkPath } from '../git/validate';
import { decodeText } from './analyze';
import { AnalysisCache } from './cache';
import { classifyName, joinPath, kubernetesContent, owningChart, dirName } from './detect';
import { DefinitionIndex, type DefinitionChange } from './definition-index';
import { buildGraph } from './graph';
import { scanAll } from './scan';
import type { DefinitionSource, DefinitionWriter } from './source';

export type DefinitionRepo = DefinitionSource & DefinitionWriter;

export interface DefinitionRepos {
  /** The repository's source; REPO_NOT_FOUND when there is none. The same object while the repository lives. */
  open(repo: string): Promise<DefinitionRepo>;
}

export interface Actor {
  id: string;
  name: string;
}

export interface WriteInput {
  path: string;
  content: string;
  type?: DefinitionType | undefined;
  message?: string | undefined;
  author?: { name: string; email: string } | undefined;
}

const REVISIONS_KEPT = 8;
const REPO_EVENTS = ['repo.commit', 'repo.worktree.changed', 'repo.checkout', 'repo.merge', 'repo.deleted'];

export class DefinitionService {
  private readonly indexes = new Map<string, DefinitionIndex>();
  private readonly revisions = new Map<string, Definition[]>();
  private readonly cache = new AnalysisCache();
  private subscription: Subscription | undefined;

  constructor(private readonly options: { bus: EventBus; repos: DefinitionRepos; logger?: Logger }) {
    this.listen();
  }

  private listen(): void {
    this.subscription = this.options.bus.subscribe(
      async (event) => {
        if (event.repo === undefined) return;
        if (event.type === 'repo.deleted') this.forget(event.repo);
        else if (this.indexes.get(event.repo)?.isLoaded) await this.refresh(event.repo, event.actor);
      },
      {
        types: REPO_EVENTS,
        // Missed events lose nothing (the next sync diffs from where the index stood), so listen again.
        onDropped: (reason) => {
          this.options.logger?.warn({ reason }, 'definitions stopped hearing repository events; listening again');
          if (this.subscription) this.listen();
        },
      },
    );
  }

  close(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  private forget(repo: string): void {
    this.indexes.delete(repo);
    for (const key of [...this.revisions.keys()]) if (key.startsWith(`${repo}@`)) this.revisions.delete(key);
  }

  /** The repository's index, synced; definition.* events for whatever changed since the last sync. */
  private async index(repo: string, actor = 'system'): Promise<{ index: DefinitionIndex; source: DefinitionRepo }> {
    const source = await this.options.repos.open(repo);
    let index = this.indexes.get(repo);
    if (!index || index.source !== source) {
      index = new DefinitionIndex(source, this.cache);
      this.indexes.set(repo, index);
    }
    this.emit(repo, await index.sync(), actor);
    return { index, source };
  }

  private async refresh(repo: string, actor: string): Promise<void> {
    try {
      await this.index(repo, actor);
    } catch (err) {
      this.options.logger?.warn({ err, repo }, 'definitions index refresh failed');
    }
  }

  private emit(repo: string, changes: DefinitionChange[], actor: string): void {
    for (const c of changes) {
      const options = { repo, actor };
      if (c.kind === 'removed') this.options.bus.emit('definition.removed', { path: c.path, type: c.type }, options);
      else this.options.bus.emit(`definition.${c.kind}`, { definition: c.definition }, options);
    }
  }

  private async atRevision(repo: string, ref: string): Promise<Definition[]> {
    const source = await this.options.repos.open(repo);
    const { commit, files } = await source.atRevision(ref);
    const key = `${repo}@${commit}`;
    let found = this.revisions.get(key);
    if (!found) {
      const scan = await scanAll(files, this.cache);
      found = [...scan.entries.values()].map((e) => e.definition).sort((a, b) => (a.path < b.path ? -1 : 1));
      this.revisions.set(key, found);
      if (this.revisions.size > REVISIONS_KEPT) this.revisions.delete(this.revisions.keys().next().value!);
    }
    return found;
  }

  async list(
    repo: string,
    opts: { type?: DefinitionType | undefined; ref?: string | undefined } = {},
    actor?: string,
  ): Promise<Definition[]> {
    if (opts.ref === undefined) return (await this.index(repo, actor)).index.list(opts.type);
    const all = await this.atRevision(repo, opts.ref);
    return opts.type === undefined ? all : all.filter((d) => d.type === opts.type);
  }

  async get(
    repo: string,
    path: string,
    ref?: string,
    actor?: string,
  ): Promise<{ definition: Definition; content: string }> {
    checkPath(path);
    let definition: Definition | undefined;
    let source: DefinitionRepo | undefined;
    let oid: string | undefined;
    if (ref === undefined) {
      const found = await this.index(repo, actor);
      definition = found.index.get(path);
      source = found.source;
      oid = definition && source.oidOf(definition.path);
    } else {
      definition = (await this.atRevision(repo, ref)).find((d) => d.path === path);
      source = await this.options.repos.open(repo);
      oid = definition?.oid;
    }
    if (!definition || oid === undefined) throw notFound(path, ref);
    return { definition, content: decodeText(await source.readBlob(oid)) };
  }

  async graph(repo: string, ref?: string, actor?: string): Promise<GraphEdge[]> {
    return buildGraph(await this.list(repo, { ref }, actor));
  }

  async create(
    repo: string,
    input: WriteInput,
    actor: Actor,
  ): Promise<{ definition: Definition; commit: string | null }> {
    const { index, source } = await this.index(repo, actor.id);
    checkContent(input);
    if (source.oidOf(input.path) !== undefined) {
      throw new GovcError('DEFINITION_EXISTS', `${input.path} already exists; replace it with PUT`, {
        path: input.path,
      });
    }
    const target = definitionPathFor(input, index);
    return this.write(repo, source, input, target, actor);
  }

  async update(
    repo: string,
    input: WriteInput,
    actor: Actor,
  ): Promise<{ definition: Definition; commit: string | null }> {
    const { index, source } = await this.index(repo, actor.id);
    checkPath(input.path);
    const isPart = owningChart(input.path, index.chartDirs) !== undefined && source.oidOf(input.path) !== undefined;
    if (!index.get(input.path) && !isPart) throw notFound(input.path);
    checkContent(input);
    const target = definitionPathFor(input, index);
    return this.write(repo, source, input, target, actor);
  }

  private async write(
    repo: string,
    source: DefinitionRepo,
    input: WriteInput,
    target: string,
    actor: Actor,
  ): Promise<{ definition: Definition; commit: string | null }> {
    await source.write(input.path, input.content);
    await source.stage([input.path]);
    const commit = await commitIfAny(source, input.message, input.author, actor);
    const definition = (await this.index(repo, actor.id)).index.get(target);
    if (!definition) throw new GovcError('INTERNAL', `${target} was written but is not indexed`, { path: target });
    return { definition, commit };
  }

  async remove(
    repo: string,
    input: { path: string; message?: string | undefined },
    actor: Actor,
  ): Promise<{ path: string; type: DefinitionType; deleted: string[]; commit: string | null }> {
    const { index, source } = await this.index(repo, actor.id);
    checkPath(input.path);
    const definition = index.get(input.path);
    if (!definition) throw notFound(input.path);
    const deleted: string[] = [];
    for (const file of definition.files) deleted.push(...(await source.remove(file)));
    await source.stage(deleted);
    const commit = await commitIfAny(source, input.message, undefined, actor);
    await this.index(repo, actor.id);
    return { path: definition.path, type: definition.type, deleted: deleted.sort(), commit };
  }
}

/**
 * Commits the staged changes when a message is given. The file is written by then, so "nothing to commit"
 * (the same bytes as HEAD, or deleting what was never committed) is a result, not an error.
 */
async function commitIfAny(
  source: DefinitionWriter,
  message: string | undefined,
  author: WriteInput['author'],
  actor: Actor,
): Promise<string | null> {
  if (message === undefined) return null;
  try {
    return await source.commit(message, author, actor);
  } catch (err) {
    if (err instanceof GovcError && err.code === 'NOTHING_TO_COMMIT') return null;
    throw err;
  }
}

function notFound(path: string, ref?: string): GovcError {
  const where = ref === undefined ? '' : ` at ${ref}`;
  return new GovcError('DEFINITION_NOT_FOUND', `There is no container definition at ${path}${where}`, { path });
}

function checkContent(input: WriteInput): void {
  checkPath(input.path);
  const size = Buffer.byteLength(input.content, 'utf8');
  if (size > MAX_DEFINITION_BYTES) {
    throw new GovcError(
      'DEFINITION_TOO_LARGE',
      `The content has ${size} bytes; a definition may have at most ${MAX_DEFINITION_BYTES}`,
      { path: input.path, size, limit: MAX_DEFINITION_BYTES },
    );
  }
  if (input.content.includes('\0')) {
    throw new GovcError('BINARY_CONTENT', 'A definition is text; the content has NUL characters', { path: input.path });
  }
}

/**
 * The definition a write at this path makes or changes (a chart's file → its Chart.yaml), checked against
 * the type the caller expects. Kubernetes manifests are recognised by content, the rest by name.
 */
function definitionPathFor(input: WriteInput, index: DefinitionIndex): string {
  const cls = classifyName(input.path);
  const owner = cls === 'chart' ? dirName(input.path) : owningChart(input.path, index.chartDirs);
  let type: DefinitionType | undefined;
  let target = input.path;
  if (cls === 'dockerfile' || cls === 'compose' || cls === 'kustomize') type = cls;
  else if (owner !== undefined) {
    type = 'helm';
    target = joinPath(owner, 'Chart.yaml');
  } else if (cls === 'yaml' && kubernetesContent(input.content)) type = 'kubernetes';
  if (type === undefined) {
    throw new GovcError(
      'NOT_A_DEFINITION',
      `${input.path} is not a container definition: name it as a Dockerfile, compose file, kustomization or ` +
        'Chart.yaml, or give a .yaml file Kubernetes objects with apiVersion and kind',
      { path: input.path },
    );
  }
  if (input.type !== undefined && input.type !== type) {
    throw new GovcError('DEFINITION_TYPE_MISMATCH', `${input.path} would be a ${type} definition, not ${input.type}`, {
      path: input.path,
      expected: input.type,
      detected: type,
    });
  }
  return target;
}
