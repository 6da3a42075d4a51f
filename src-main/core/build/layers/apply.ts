/**
 * Applies a layer tar (gzip or plain) onto a rootfs folder with overlay semantics: whiteouts delete,
 * opaque whiteouts hide the lower layers' directory contents, later entries replace earlier ones.
 *
 * Every tar is treated as hostile: names are confined to the rootfs (no `..`, no absolute names, no writing
 * through a symlink the archive planted, symlinks below resolved as if chrooted), device nodes are refused
 * unless allowed, setuid/setgid bits are dropped unless allowed, and the uncompressed size and the
 * compression ratio are capped against decompression bombs. On error the rootfs is left half-written:
 * callers extract into a scratch folder they discard.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, lchownSync, lstatSync, lutimesSync, mkdirSync, writeFileSync, type Stats } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, open, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { GovcError } from '../../../../src-shared/errors';
import { OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from './entry';
import { hostile, resolveDir } from './resolve';

export interface ApplyOptions {
  allowDevices?: boolean;
  allowSetuid?: boolean;
  /** Uncompressed bytes allowed for the whole layer. */
  maxBytes?: number;
  /** Uncompressed/compressed ratio allowed once the layer exceeds `ratioFloorBytes`. */
  maxRatio?: number;
  ratioFloorBytes?: number;
  /** Set owners from the tar (needs root); otherwise files belong to the caller. Default: when root. */
  preserveOwners?: boolean;
  /**
   * For archives that are not layers (ADD): a `.wh.` name would be written as a file that every later
   * reader of our layer takes for a deletion, so it is refused instead.
   */
  refuseWhiteouts?: boolean;
  /** Owner of the folders an entry needs but the archive does not list (ADD --chown); default: the caller. */
  impliedDirOwner?: { uid: number; gid: number };
}

export interface ApplyResult {
  entries: number;
  uncompressedBytes: number;
}

const SMALL_FILE = 1024 * 1024;
/**
 * gunzip output chunk: zlib's default 16 KiB cut a base image's 2 MiB binary into ~120 streamed writes,
 * each a thread-pool round trip (~20-40 ms of every COPY onto busybox); the size limits below are then
 * checked per MiB instead of per 16 KiB, which moves no limit by more than that.
 */
const GUNZIP_CHUNK = 1024 * 1024;

async function collect(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const DEFAULTS = { maxBytes: 16 * 1024 ** 3, maxRatio: 1000, ratioFloorBytes: 64 * 1024 ** 2 };

export async function applyLayer(root: string, layer: Uint8Array, options: ApplyOptions = {}): Promise<ApplyResult> {
  const limits = { ...DEFAULTS, ...options };
  const gzipped = layer[0] === 0x1f && layer[1] === 0x8b;
  const counter = new ByteLimit(layer.byteLength, limits, gzipped);
  const tar = extract();
  const applier = new Applier(root, {
    allowDevices: options.allowDevices ?? false,
    allowSetuid: options.allowSetuid ?? false,
    preserveOwners: options.preserveOwners ?? process.getuid?.() === 0,
    refuseWhiteouts: options.refuseWhiteouts ?? false,
    ...(options.impliedDirOwner ? { impliedDirOwner: options.impliedDirOwner } : {}),
  });
  const consume = (async () => {
    for await (const entry of tar) await applier.apply(entry.header, entry);
  })();
  const source = Readable.from([Buffer.from(layer.buffer, layer.byteOffset, layer.byteLength)]);
  const feed = gzipped
    ? pipeline(source, createGunzip({ chunkSize: GUNZIP_CHUNK }), counter, tar)
    : pipeline(source, counter, tar);
  // Whichever side fails first carries the real reason; the other then fails with a generic one.
  const results = await Promise.allSettled([consume, feed]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    const first = [counter.error, ...results.map((r) => (r.status === 'rejected' ? r.reason : undefined))].find(
      (e) => e instanceof GovcError,
    );
    if (first) throw first;
    const reason = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
    throw new GovcError('BAD_LAYER', `Layer is not a valid tar: ${reason}`);
  }
  await applier.finish();
  return { entries: applier.count, uncompressedBytes: counter.bytes };
}

/** Counts uncompressed bytes on their way to the tar parser and stops the stream at a limit. */
class ByteLimit extends Transform {
  bytes = 0;
  error: GovcError | undefined;
  constructor(
    private readonly compressedSize: number,
    private readonly limits: typeof DEFAULTS,
    private readonly gzipped: boolean,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.byteLength;
    if (this.bytes > this.limits.maxBytes)
      this.error = new GovcError('LAYER_TOO_LARGE', `Layer expands beyond ${this.limits.maxBytes} bytes`);
    else if (
      this.gzipped &&
      this.bytes > this.limits.ratioFloorBytes &&
      this.bytes > this.compressedSize * this.limits.maxRatio
    )
      this.error = hostile(
        `decompression bomb (${this.compressedSize} bytes expand beyond ${this.bytes}, ratio > ${this.limits.maxRatio})`,
      );
    callback(this.error, this.error ? undefined : chunk);
  }
}

/**
 * A large entry written chunk by chunk. Not `pipeline(body, createWriteStream())`: when a size limit stops
 * the layer while this entry waits (say on removing what was at its path), the extractor has destroyed the
 * body already and Node's pipeline waits forever for it to end; streamx's own iterator ends instead.
 */
async function writeStreamed(host: string, body: EntryBody, mode: number): Promise<void> {
  const file = await open(host, 'wx', mode);
  try {
    for await (const chunk of body) await file.writeFile(chunk as Buffer);
  } finally {
    await file.close();
  }
}

/** An entry's byte stream as tar-stream hands it out (a streamx Readable, async-iterable like Node's). */
type EntryBody = AsyncIterable<unknown> & { resume(): unknown };

class Applier {
  count = 0;
  /** Paths this layer wrote: an opaque whiteout hides only what lay below, not the layer's own entries. */
  private readonly written = new Set<string>();
  private readonly plantedSymlinks = new Set<string>();
  private readonly dirTimes: Array<{ path: string; mode: number; mtime: Date }> = [];
  private readonly parents = new Map<string, string[]>();

  constructor(
    private readonly root: string,
    private readonly policy: {
      allowDevices: boolean;
      allowSetuid: boolean;
      preserveOwners: boolean;
      refuseWhiteouts: boolean;
      impliedDirOwner?: { uid: number; gid: number };
    },
  ) {}

  async apply(header: Header, body: EntryBody): Promise<void> {
    this.count++;
    const parts = safeParts(header.name);
    if (parts.length === 0) {
      body.resume();
      return; // the root itself: its metadata belongs to the base, not to a layer
    }
    const name = parts[parts.length - 1]!;
    const parent = await this.parentOf(parts.slice(0, -1));
    if (name.startsWith(WHITEOUT_PREFIX)) {
      if (this.policy.refuseWhiteouts) throw hostile(`${header.name} is a whiteout, which only layers may hold`);
      body.resume();
      await this.whiteout(parent, name);
      return;
    }
    const rel = [...parent, name].join('/');
    const host = join(this.root, rel);
    await this.clear(host, header.type === 'directory');
    this.plantedSymlinks.delete(rel);
    this.written.add(rel);

    let mode = header.mode & 0o7777;
    if (!this.policy.allowSetuid) mode &= ~0o6000;
    switch (header.type) {
      case 'file':
      case 'contiguous-file':
        // Small files in one synchronous write (an async one is several thread-pool round trips: see
        // batch.ts); large ones streamed so a layer never sits in memory twice.
        if (header.size <= SMALL_FILE) writeFileSync(host, await collect(body), { flag: 'wx', mode: mode & 0o777 });
        else await writeStreamed(host, body, mode & 0o777);
        break;
      case 'directory':
        body.resume();
        try {
          mkdirSync(host, { mode: 0o755 });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        if (this.policy.preserveOwners) lchownSync(host, header.uid, header.gid);
        this.dirTimes.push({ path: host, mode, mtime: header.mtime });
        break;
      case 'symlink':
        body.resume();
        await symlink(header.linkname ?? '', host);
        this.plantedSymlinks.add(rel);
        this.parents.clear();
        break;
      case 'link': {
        body.resume();
        const targetParts = safeParts(header.linkname ?? '');
        if (targetParts.length === 0) throw hostile(`hardlink ${header.name} has no target`);
        const targetDir = await resolveDir(this.root, targetParts.slice(0, -1), { refuse: this.plantedSymlinks });
        const target = join(this.root, ...targetDir, targetParts[targetParts.length - 1]!);
        const info = await lstat(target).catch(() => undefined);
        if (!info || info.isDirectory())
          throw new GovcError('BAD_LAYER', `Hardlink ${header.name} → ${header.linkname}: no such file`);
        await link(target, host);
        break;
      }
      case 'fifo':
      case 'character-device':
      case 'block-device':
        body.resume();
        await this.makeNode(header, host, mode);
        break;
      default:
        throw hostile(`entry ${header.name} has unsupported type ${String(header.type)}`);
    }
    if (header.type !== 'directory') this.setMetadata(host, header, mode);
  }

  /** Directory modes and times last: a read-only directory must still receive its children first. */
  async finish(): Promise<void> {
    for (const dir of this.dirTimes.reverse()) {
      await chmod(dir.path, dir.mode);
      await lutimes(dir.path, dir.mtime, dir.mtime);
    }
  }

  private setMetadata(host: string, header: Header, mode: number): void {
    // New files already belong to us; only foreign owners cost a syscall.
    if (this.policy.preserveOwners && (header.uid !== process.getuid?.() || header.gid !== process.getgid?.()))
      lchownSync(host, header.uid, header.gid);
    // chmod on a symlink would follow it; symlink modes mean nothing on Linux anyway.
    if (header.type !== 'symlink') chmodSync(host, mode);
    lutimesSync(host, header.mtime, header.mtime);
  }

  private async whiteout(parent: string[], name: string): Promise<void> {
    this.parents.clear();
    const dirRel = parent.join('/');
    if (name === OPAQUE_WHITEOUT) {
      for (const child of await readdir(join(this.root, dirRel)).catch(() => [] as string[])) {
        const rel = dirRel ? `${dirRel}/${child}` : child;
        if (!this.written.has(rel)) await rm(join(this.root, rel), { recursive: true, force: true });
      }
      return;
    }
    const victim = name.slice(WHITEOUT_PREFIX.length);
    if (victim === '' || victim === '.' || victim === '..' || victim.startsWith(WHITEOUT_PREFIX))
      throw hostile(`invalid whiteout ${dirRel}/${name}`);
    await rm(join(this.root, dirRel, victim), { recursive: true, force: true });
  }

  /**
   * Resolves an entry's parent folder, remembering the answer: most entries share their parent with the
   * one before. Anything that could change a resolution (a symlink, a removal) forgets them all.
   */
  private async parentOf(parts: string[]): Promise<string[]> {
    const key = parts.join('/');
    let resolved = this.parents.get(key);
    if (!resolved) {
      const owner = this.policy.impliedDirOwner;
      resolved = await resolveDir(this.root, parts, {
        create: true,
        refuse: this.plantedSymlinks,
        ...(owner ? { onCreate: (rel: string) => lchown(join(this.root, rel), owner.uid, owner.gid) } : {}),
      });
      this.parents.set(key, resolved);
    }
    return resolved;
  }

  private async clear(host: string, keepDirectory: boolean): Promise<void> {
    const existing = lstatOrUndefined(host);
    if (!existing) return;
    if (keepDirectory && existing.isDirectory()) return;
    if (existing.isDirectory() || existing.isSymbolicLink()) this.parents.clear();
    await rm(host, { recursive: true, force: true });
  }

  private async makeNode(header: Header, host: string, mode: number): Promise<void> {
    if (header.type !== 'fifo' && !this.policy.allowDevices)
      throw hostile(`device node ${header.name} (devices are not allowed in layers)`);
    // Node has no mknod; the coreutils tools do it without a shell, so no quoting is involved.
    const args =
      header.type === 'fifo'
        ? ['mkfifo', '-m', (mode & 0o777).toString(8), host]
        : [
            'mknod',
            '-m',
            (mode & 0o777).toString(8),
            host,
            header.type === 'block-device' ? 'b' : 'c',
            String(header.devmajor),
            String(header.devminor),
          ];
    const result = spawnSync(args[0]!, args.slice(1), { stdio: 'pipe' });
    if (result.status !== 0)
      throw new GovcError(
        'BAD_LAYER',
        `Cannot create ${header.type} ${header.name}: ${result.stderr?.toString().trim() ?? result.error?.message}`,
      );
  }
}

function lstatOrUndefined(host: string): Stats | undefined {
  try {
    return lstatSync(host);
  } catch {
    return undefined;
  }
}

/** Splits an archive name into components, refusing every form that points outside the root. */
function safeParts(name: string): string[] {
  if (name.includes('\0')) throw hostile(`a name contains NUL`);
  if (name.startsWith('/')) throw hostile(`absolute name ${name}`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw hostile(`path traversal in ${name}`);
  return parts;
}
