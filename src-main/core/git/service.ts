/**
 * The repository service: repositories by id, memory-only or persisted under `<dataDir>/repos/<id>` (a
 * bare git repository plus `govc-worktree/` for uncommitted work). Persisted repositories are found
 * when the service starts and opened on first use. Creation happens in a scratch folder that is renamed
 * into place, and deletion renames away before removing, so a crash never leaves half a repository
 * under a real id.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EventData, EventType } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import type { EventBus } from '../events/bus';
import { exportRepo } from './export';
import { cloneRepo, importRepo, originConfig, type Imported } from './import';
import { RefTable } from './refs';
import { Repo, type RepoEmitter } from './repo';
import { Snapshot } from './snapshot';
import { ObjectStore } from './store';
import { fsyncDir, initGitDir, isGitDir } from './store-disk';
import { checkRefName, checkRepoId } from './validate';

export interface RepoServiceOptions {
  dataDir: string;
  bus: EventBus;
  logger?: Logger;
}

export interface CreateRepoOptions {
  id: string;
  persist?: boolean;
  importFrom?: string;
  cloneFrom?: string;
  defaultBranch?: string;
}

interface Slot {
  persist: boolean;
  repo?: Repo;
  opening?: Promise<Repo>;
}

export class RepoService {
  readonly reposDir: string;
  private readonly slots = new Map<string, Slot>();
  private readonly bus: EventBus;
  private readonly logger: Logger | undefined;
  private closed = false;

  constructor(options: RepoServiceOptions) {
    this.reposDir = join(options.dataDir, 'repos');
    this.bus = options.bus;
    this.logger = options.logger;
    mkdirSync(this.reposDir, { recursive: true });
    this.scan();
  }

  /** Registers persisted repositories and clears scratch folders a crash left behind. */
  private scan(): void {
    for (const name of readdirSync(this.reposDir)) {
      const full = join(this.reposDir, name);
      if (name.startsWith('.')) {
        rmSync(full, { recursive: true, force: true });
        continue;
      }
      if (isGitDir(full)) this.slots.set(name, { persist: true });
      else this.logger?.warn({ path: full }, 'not a git repository; ignored');
    }
  }

  private emitterFor(id: string): RepoEmitter {
    return <T extends EventType>(type: T, data: EventData<T>, actor: string) => {
      this.bus.emit(type, data, { repo: id, actor });
    };
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  async get(id: string): Promise<Repo> {
    const slot = this.slots.get(id);
    if (!slot) throw new GovcError('REPO_NOT_FOUND', `There is no repository ${id}`, { repo: id });
    if (slot.repo) return slot.repo;
    slot.opening ??= Repo.open(id, join(this.reposDir, id), this.emitterFor(id)).then(
      (repo) => {
        slot.repo = repo;
        return repo;
      },
      (err: unknown) => {
        slot.opening = undefined;
        throw err;
      },
    );
    return slot.opening;
  }

  async list(): Promise<Array<ReturnType<Repo['info']>>> {
    const out = [];
    for (const id of [...this.slots.keys()].sort()) {
      try {
        out.push((await this.get(id)).info());
      } catch (err) {
        this.logger?.error({ err, repo: id }, 'repository failed to open');
      }
    }
    return out;
  }

  async create(opts: CreateRepoOptions, actor: string): Promise<Repo> {
    if (this.closed) throw new GovcError('UNAVAILABLE', 'The repository service is closed');
    const id = checkRepoId(opts.id);
    if (this.slots.has(id)) throw new GovcError('REPO_EXISTS', `Repository ${id} already exists`, { repo: id });
    const branch = checkRefName(opts.defaultBranch ?? 'main', 'default branch');
    const slot: Slot = { persist: opts.persist ?? false };
    this.slots.set(id, slot); // reserves the id while the (async) creation runs
    let source: string | null = null;
    try {
      let imported: Imported | undefined;
      const emit = this.emitterFor(id);
      if (opts.importFrom !== undefined) imported = await importRepo(id, (source = opts.importFrom), emit);
      else if (opts.cloneFrom !== undefined) imported = await cloneRepo(id, (source = opts.cloneFrom), emit);
      let repo = imported?.repo;
      if (!repo) {
        repo = new Repo({
          id,
          store: new ObjectStore(),
          refs: new RefTable({ symbolic: `refs/heads/${branch}` }, new Map()),
          head: Snapshot.empty(),
          emit,
        });
      }
      if (slot.persist) {
        const extra = opts.cloneFrom !== undefined ? originConfig(opts.cloneFrom, repo.branch ?? undefined) : '';
        repo = await this.persistNew(repo, extra);
      }
      slot.repo = repo;
      this.bus.emit('repo.created', { id, persist: slot.persist, head: repo.head, source }, { repo: id, actor });
      return repo;
    } catch (err) {
      this.slots.delete(id);
      throw err;
    }
  }

  /** Writes a new repository to a scratch folder, renames it into place, and opens it from there. */
  private async persistNew(repo: Repo, configExtra: string): Promise<Repo> {
    const scratch = join(this.reposDir, `.new-${repo.id}-${randomBytes(4).toString('hex')}`);
    try {
      const disk = initGitDir(scratch, repo.branch ?? 'main', true, configExtra);
      repo.store.attachDisk(disk);
      repo.store.flush();
      repo.refs.attachDisk(disk);
      const final = join(this.reposDir, repo.id);
      renameSync(scratch, final);
      fsyncDir(this.reposDir);
      return await Repo.open(repo.id, final, repo.emit);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  async delete(id: string, actor: string): Promise<void> {
    const slot = this.slots.get(id);
    if (!slot) throw new GovcError('REPO_NOT_FOUND', `There is no repository ${id}`, { repo: id });
    const repo = slot.repo ?? (slot.opening ? await slot.opening.catch(() => undefined) : undefined);
    await repo?.close();
    this.slots.delete(id);
    if (slot.persist) {
      const dir = join(this.reposDir, id);
      const trash = join(this.reposDir, `.trash-${id}-${randomBytes(4).toString('hex')}`);
      if (existsSync(dir)) {
        renameSync(dir, trash);
        fsyncDir(this.reposDir);
        rmSync(trash, { recursive: true, force: true });
      }
    }
    this.bus.emit('repo.deleted', { id }, { repo: id, actor });
  }

  async export(id: string, path: string, bare: boolean) {
    return exportRepo(await this.get(id), path, bare);
  }

  /** Saves every open repository's uncommitted state; commits are durable already. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const slot of this.slots.values()) {
      const repo = slot.repo ?? (slot.opening ? await slot.opening.catch(() => undefined) : undefined);
      try {
        await repo?.close();
      } catch (err) {
        this.logger?.error({ err, repo: repo?.id }, 'repository failed to close cleanly');
      }
    }
  }
}
