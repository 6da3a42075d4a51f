/**
 * Runs one stage: its base, then each resolved instruction in order. Metadata instructions change the
 * config; RUN, COPY and ADD produce layers, served from the step cache when their key is known. Every step
 * extends the key chain, so a changed ENV invalidates the RUNs after it but nothing before.
 */
import { tmpdir } from 'node:os';
import { GovcError } from '../../../../src-shared/errors';
import type { ResolvedInstruction, ResolvedStage } from '../dockerfile/expand';
import type { Instruction } from '../dockerfile/types';
import type { LayerEntry } from '../layers/entry';
import { writeLayer } from '../layers/tar-writer';
import { isoTime } from '../oci/image';
import { MediaType, type Descriptor, type ImageConfig } from '../oci/types';
import { instructionIdentity, stepInputs, stepKey, type StepInputs } from '../plan/cache-key';
import { runAndDiff } from '../sandbox/rootfs';
import { homeOf, resolveChown, resolveUser } from '../sandbox/users';
import { sha256 } from '../store/digest';
import { addWithArchives, sniffArchive } from './archive';
import { applyToConfig, argvOf, DEFAULT_PATH, type ConfigState } from './config';
import { copyIntoRootfs, destinationOf, parseChmod, type CopyPlan } from './copy';
import type { BuildEvent } from './events';
import { resolveMounts, type MountSources } from './mounts';
import { isGitUrl, isHttpUrl, parseChecksum, urlFileName } from './remote';
import { WorkingRootfs } from './rootfs-cache';
import { digestSources, listFolder, selectFrom, type CopyItem, type Selection } from './sources';
import { shebangScript, type ShebangScript } from './heredoc-script';
import { makeWorkdir } from './workdir';
import type { BuildServices } from './services';

export interface StageBase {
  config: ImageConfig;
  layers: Descriptor[];
  key: string;
  /** `FROM` as shown in progress. */
  text: string;
}

export interface StageOutput {
  index: number;
  name?: string;
  config: ImageConfig;
  layers: Descriptor[];
  key: string;
  work: WorkingRootfs;
}

const FS_KINDS = new Set(['RUN', 'COPY', 'ADD']);

/** The progress steps a stage shows (its FROM, then each RUN, COPY and ADD), so ids can be reserved up front. */
export function stepCount(resolved: ResolvedStage): number {
  return 1 + resolved.instructions.filter((r) => FS_KINDS.has(r.instruction.kind)).length;
}

export class StageRunner {
  private readonly label: string;
  private readonly config: ImageConfig;
  private readonly layers: Descriptor[];
  private readonly state: ConfigState;
  private readonly work: WorkingRootfs;
  private key: string;
  private changed = false;
  private pendingReason: string | undefined;

  constructor(
    private readonly services: BuildServices,
    private readonly resolved: ResolvedStage,
    base: StageBase,
    private readonly sources: MountSources,
  ) {
    this.label = resolved.name ?? `stage-${resolved.index}`;
    this.config = structuredClone(base.config);
    // Inherited triggers ran (the frontend put them first); the new image must not run them again.
    delete this.config.config.OnBuild;
    this.layers = [...base.layers];
    this.state = { config: this.config.config, cmdSet: false };
    this.work = new WorkingRootfs(services.store, this.layers);
    this.key = base.key;
  }

  async run(base: StageBase): Promise<StageOutput> {
    const total = stepCount(this.resolved);
    const fromId = this.services.nextId();
    this.emit({ type: 'step', id: fromId, stage: this.label, position: 1, total, text: base.text });
    this.emit({ type: 'done', id: fromId, seconds: 0 });
    let position = 1;
    try {
      for (const [ordinal, item] of this.resolved.instructions.entries()) {
        if (this.services.signal?.aborted) throw new GovcError('CANCELLED', 'The build was cancelled');
        if (FS_KINDS.has(item.instruction.kind)) await this.fsStep(item, ordinal, ++position, total);
        else if (item.instruction.kind === 'WORKDIR') await this.workdirStep(item, ordinal);
        else this.metadataStep(item, ordinal);
      }
    } catch (err) {
      // A failed stage never reaches the build's list of outputs, so its scratch rootfs is freed here.
      await this.work.dispose();
      throw err;
    }
    if (this.state.author !== undefined) this.config.author = this.state.author;
    return {
      index: this.resolved.index,
      ...(this.resolved.name ? { name: this.resolved.name } : {}),
      config: this.config,
      layers: this.layers,
      key: this.key,
      work: this.work,
    };
  }

  private metadataStep(item: ResolvedInstruction, ordinal: number): void {
    const { instruction } = item;
    // ARG changes nothing by itself: as in BuildKit, a value only matters to the steps that use it, whose
    // own keys carry it, so declaring an ARG never invalidates the steps in between.
    if (instruction.kind === 'ARG') return;
    applyToConfig(this.state, instruction);
    this.config.history.push({ created: this.created(), created_by: textOf(instruction), empty_layer: true });
    const inputs = stepInputs(textOf(instruction), instructionIdentity(instruction), item.usedArgs);
    this.advance(inputs, ordinal, (key) => this.services.cache.get(key) !== undefined);
  }

  private async fsStep(item: ResolvedInstruction, ordinal: number, position: number, total: number): Promise<void> {
    const { instruction } = item;
    const id = this.services.nextId();
    const started = Date.now();
    this.emit({ type: 'step', id, stage: this.label, position, total, text: textOf(instruction) });
    try {
      const inputs = stepInputs(
        textOf(instruction),
        instructionIdentity(instruction),
        item.usedArgs,
        await this.sourceDigests(instruction),
      );
      const parentKey = this.key;
      const stepId = `${this.services.dockerfileName}#${this.label}/${ordinal}`;
      const key = stepKey(parentKey, inputs);
      const cached = this.services.noCache ? undefined : this.services.cache.get(key);
      if (cached && (!cached.layer || (await this.services.store.has(cached.layer.digest)))) {
        this.emit({ type: 'cached', id });
        this.append(instruction, cached.layer);
        this.key = key;
        return;
      }
      let reason = this.services.noCache
        ? '--no-cache'
        : this.services.cache.explainMiss(parentKey, stepId, inputs, this.changed);
      if (reason === 'an earlier step changed' && this.pendingReason) reason = this.pendingReason;
      this.emit({ type: 'miss', id, reason });
      const entries = await this.execute(item, id);
      const layer = entries.length > 0 ? await this.storeLayer(entries) : undefined;
      this.append(instruction, layer);
      this.work.markCurrent();
      this.services.cache.record({ key, parentKey, stepId, inputs, ...(layer ? { layer } : {}) });
      this.key = key;
      this.changed = true;
      this.emit({ type: 'done', id, seconds: (Date.now() - started) / 1000 });
    } catch (err) {
      const error = GovcError.from(err);
      this.emit({ type: 'failed', id, seconds: (Date.now() - started) / 1000, message: error.message });
      throw error;
    }
  }

  /**
   * WORKDIR changes the config and makes its folder when missing (a layer of its own, cached like any
   * step). It stays out of the progress count: it runs no command and rarely takes time worth showing.
   */
  private async workdirStep(item: ResolvedInstruction, ordinal: number): Promise<void> {
    const { instruction } = item;
    applyToConfig(this.state, instruction);
    // The marker keeps keys apart from caches written when WORKDIR made no folder.
    const inputs = stepInputs(textOf(instruction), [instructionIdentity(instruction), 'mkdir'], item.usedArgs);
    const parentKey = this.key;
    const key = stepKey(parentKey, inputs);
    const cached = this.services.noCache ? undefined : this.services.cache.get(key);
    if (cached && (!cached.layer || (await this.services.store.has(cached.layer.digest)))) {
      this.append(instruction, cached.layer);
      this.key = key;
      return;
    }
    const stepId = `${this.services.dockerfileName}#${this.label}/${ordinal}`;
    if (!this.changed) this.pendingReason ??= this.services.cache.explainMiss(parentKey, stepId, inputs, false);
    this.changed = true;
    const rootfs = await this.work.path();
    const owner = await resolveUser(rootfs, this.config.config.User);
    const entries = await makeWorkdir(rootfs, this.config.config.WorkingDir ?? '/', owner);
    const layer = entries.length > 0 ? await this.storeLayer(entries) : undefined;
    this.append(instruction, layer);
    this.work.markCurrent();
    this.services.cache.record({ key, parentKey, stepId, inputs, ...(layer ? { layer } : {}) });
    this.key = key;
  }

  /** Extends the key chain; remembers the first changed metadata step to explain the next miss. */
  private advance(inputs: StepInputs, ordinal: number, known: (key: string) => boolean): void {
    const parentKey = this.key;
    const key = stepKey(parentKey, inputs);
    const stepId = `${this.services.dockerfileName}#${this.label}/${ordinal}`;
    if (!known(key)) {
      if (!this.changed) this.pendingReason ??= this.services.cache.explainMiss(parentKey, stepId, inputs, false);
      this.changed = true;
    }
    this.services.cache.record({ key, parentKey, stepId, inputs });
    this.key = key;
  }

  private async runCommand(
    item: ResolvedInstruction,
    instruction: Extract<Instruction, { kind: 'RUN' }>,
    id: number,
  ): Promise<LayerEntry[]> {
    if (instruction.security === 'insecure')
      throw new GovcError('UNSUPPORTED', 'RUN --security=insecure is not supported');
    const rootfs = await this.work.path();
    const user = await resolveUser(rootfs, this.config.config.User);
    const env = { ...this.resolved.proxyEnv, ...(item.env ?? {}) };
    const envList = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    if (!('PATH' in env)) envList.push(DEFAULT_PATH);
    // Docker gives every RUN a HOME (the user's, else /); scripts that install under ~ rely on it.
    if (!('HOME' in env)) envList.push(`HOME=${await homeOf(rootfs, user.uid)}`);
    const mounts = await resolveMounts(instruction.mounts, this.sources, this.services.dataDir);
    let shebang: ShebangScript | undefined;
    try {
      const { command } = instruction;
      shebang =
        command.form === 'shell' ? await shebangScript(command.command, instruction.heredocs, tmpdir()) : undefined;
      const argv = shebang
        ? shebang.argv
        : command.form === 'exec'
          ? [...command.argv]
          : argvOf(
              { form: 'shell', command: withHeredocs(command.command, instruction.heredocs) },
              this.config.config.Shell,
            );
      const { diff } = await runAndDiff(this.services.executor, {
        rootfs,
        argv,
        env: envList,
        cwd: this.config.config.WorkingDir || '/',
        ...user,
        network: instruction.network,
        mounts: shebang ? [...mounts.mounts, shebang.mount] : mounts.mounts,
        onOutput: (stream, chunk) => this.emit({ type: 'output', id, stream, text: chunk.toString('utf8') }),
        ...(this.services.signal ? { signal: this.services.signal } : {}),
      });
      return diff.entries;
    } finally {
      await mounts.dispose();
      await shebang?.dispose();
    }
  }

  private async execute(item: ResolvedInstruction, id: number): Promise<LayerEntry[]> {
    const { instruction } = item;
    if (instruction.kind === 'RUN') return this.runCommand(item, instruction, id);
    if (instruction.kind !== 'COPY' && instruction.kind !== 'ADD') return [];
    const selection = await this.selectWithDownloads(instruction);
    const rootfs = await this.work.path();
    const owner = instruction.chown ? await resolveChown(rootfs, instruction.chown) : { uid: 0, gid: 0 };
    const dest = destinationOf(instruction.dest, this.config.config.WorkingDir ?? '/');
    const mode = parseChmod(instruction.chmod);
    const plan: CopyPlan = {
      items: selection.items,
      inline: instruction.heredocs.map((h) => ({
        path: destinationOf(h.path ?? h.name, this.config.config.WorkingDir ?? '/').path,
        content: h.content,
      })),
      dest: dest.path,
      destIsDir: dest.isDir || selection.multiple,
      ...owner,
      ...(mode === undefined ? {} : { mode }),
    };
    const archives = instruction.kind === 'ADD' ? await archivesIn(selection.items) : [];
    return archives.length > 0 ? addWithArchives(rootfs, plan, archives) : copyIntoRootfs(rootfs, plan);
  }

  /** COPY/ADD: the content of what is copied, so an unchanged file set hits whatever its mtimes. */
  private async sourceDigests(instruction: Instruction): Promise<Record<string, string>> {
    if (instruction.kind !== 'COPY' && instruction.kind !== 'ADD') return {};
    const out: Record<string, string> = {};
    const checksum = this.checkRemote(instruction);
    for (const url of instruction.sources.filter(isHttpUrl))
      out[`content of ${url}`] = await this.services.remote.identity(url, checksum);
    for (const doc of instruction.heredocs) out[`<<${doc.name}`] = sha256(doc.content);
    if (instruction.from !== undefined) {
      out[`--from=${instruction.from}`] = await this.sources.identity(instruction.from);
      return out;
    }
    const selection = await this.select(instruction);
    const digests = await digestSources(selection.items);
    // Without URLs or heredocs the (memoised, sorted) digests are the answer: no copy of 5,000 keys.
    return Object.keys(out).length === 0 ? digests : { ...out, ...digests };
  }

  /** Refuses what only ADD of http(s) URLs may do; returns the parsed `--checksum`. */
  private checkRemote(instruction: Extract<Instruction, { kind: 'COPY' | 'ADD' }>): string | undefined {
    const where = this.where(instruction);
    const git = instruction.sources.find(isGitUrl);
    if (git)
      throw new GovcError(
        'UNSUPPORTED',
        `${where}: ${instruction.kind} ${git}: git repositories as sources are not supported yet; clone in a RUN or build from the repository`,
      );
    const url = instruction.sources.find(isHttpUrl);
    if (url && instruction.kind === 'COPY')
      throw new GovcError('BAD_COPY_SOURCE', `${where}: COPY cannot take a URL (${url}); use ADD`, { source: url });
    if (url && instruction.from !== undefined)
      throw new GovcError('BAD_COPY_SOURCE', `${where}: ADD --from cannot take a URL (${url})`, { source: url });
    const checksum = parseChecksum(instruction.checksum, where);
    if (checksum !== undefined && (!url || instruction.sources.length !== 1))
      throw new GovcError('BAD_FLAG', `${where}: ADD --checksum needs exactly one http(s) URL source`);
    return checksum;
  }

  /** The local selection plus ADD's downloads, named after the URL when the destination is a folder. */
  private async selectWithDownloads(instruction: Extract<Instruction, { kind: 'COPY' | 'ADD' }>): Promise<Selection> {
    const urls = instruction.sources.filter(isHttpUrl);
    const local = await this.select(instruction);
    if (urls.length === 0) return local;
    const checksum = this.checkRemote(instruction);
    const downloads = await Promise.all(
      urls.map((url) => this.services.remote.item(url, urlFileName(url), checksum, this.where(instruction))),
    );
    // Several sources always go into a folder; one URL alone may name the file.
    return { items: [...local.items, ...downloads], multiple: instruction.sources.length > 1 || local.multiple };
  }

  private where(instruction: Instruction): string {
    return `${this.services.dockerfileName}:${instruction.range.startLine}`;
  }

  /** What a COPY/ADD copies from the context (minus .dockerignore), another stage or an image; URLs aside. */
  private async select(instruction: Extract<Instruction, { kind: 'COPY' | 'ADD' }>): Promise<Selection> {
    const sources = instruction.sources.filter((source) => !isHttpUrl(source));
    if (sources.length === 0) return { items: [], multiple: false };
    const folder =
      instruction.from === undefined
        ? await this.sources.contextFolder()
        : await (async () => {
            const root = await this.sources.folder(instruction.from!);
            return { root, entries: await listFolder(root) };
          })();
    return selectFrom(folder, sources, { excludes: instruction.excludes, parents: instruction.parents });
  }

  private async storeLayer(entries: LayerEntry[]): Promise<Descriptor & { diffId: `sha256:${string}` }> {
    const layer = await writeLayer(entries, { sourceDateEpoch: this.services.sourceDateEpoch });
    const blob = await this.services.store.put(layer.compressed);
    return { mediaType: MediaType.layerGzip, ...blob, diffId: layer.diffId };
  }

  private append(instruction: Instruction, layer: (Descriptor & { diffId: `sha256:${string}` }) | undefined): void {
    const created = this.created();
    if (layer) {
      this.layers.push({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size });
      this.config.rootfs.diff_ids.push(layer.diffId);
      this.config.history.push({ created, created_by: textOf(instruction) });
    } else this.config.history.push({ created, created_by: textOf(instruction), empty_layer: true });
  }

  private created(): string {
    return isoTime(this.services.sourceDateEpoch);
  }

  private emit(event: BuildEvent): void {
    this.services.onEvent?.(event);
  }
}

/** The instruction as written, on one line, for progress and history. */
export function textOf(instruction: Instruction): string {
  return instruction.original
    .replace(/\\\r?\n\s*/g, ' ')
    .split('\n', 1)[0]!
    .trim();
}

function withHeredocs(command: string, heredocs: Extract<Instruction, { kind: 'RUN' }>['heredocs']): string {
  // `RUN <<EOF` alone runs the body as the script (BuildKit); a bare `<<EOF` line would feed it to nothing.
  const only = heredocs.length === 1 ? /^<<-?(["']?)([^\s"']+)\1$/.exec(command.trim()) : null;
  if (only && only[2] === heredocs[0]!.name) return heredocs[0]!.content;
  // Otherwise the shell reads the heredocs itself: the command line followed by each body and delimiter.
  return heredocs.reduce(
    (script, h) => `${script}\n${h.content}${h.content.endsWith('\n') ? '' : '\n'}${h.name}`,
    command,
  );
}

/** ADD extracts local tar archives, recognised by their bytes as Docker does, not by their names; never downloads. */
async function archivesIn(items: readonly CopyItem[]): Promise<CopyItem[]> {
  const archives: CopyItem[] = [];
  for (const item of items)
    if (item.type === 'file' && !item.remote && (await sniffArchive(item.host))) archives.push(item);
  return archives;
}
