/**
 * A real git directory on disk, read and written the way git itself lays it out: loose zlib-deflated
 * objects under objects/xx/, refs as files (plus packed-refs when present), HEAD as a symbolic ref.
 *
 * Durability: every write goes to a temporary file inside the repository (same filesystem), is fsynced,
 * renamed into place, and the directory that received it is fsynced. Objects are always written before
 * the ref that makes them reachable, so a crash leaves at worst unreachable objects, never a ref to a
 * missing one. Packs (from repositories git made) are read through isomorphic-git.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import git from 'isomorphic-git';
import { GovcError } from '../../../src-shared/errors';
import { objectHeader, parseLooseObject, type GitObject, type ObjectType } from './objects';
import { idxOids, writePack } from './pack';

/** From this many objects in one write, a pack is written instead of loose objects. */
export const PACK_THRESHOLD = 128;

/** Our scratch folder inside a git directory; git ignores unknown entries there. */
export const TMP_DIR = 'govc-tmp';

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a whole file durably: temp file, fsync, rename, fsync of the receiving directory (unless told not to). */
export function writeFileDurable(tmpDir: string, target: string, data: Buffer | string, syncDir = true): void {
  const tmp = join(tmpDir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
  if (syncDir) fsyncDir(join(target, '..'));
}

/** Creates a directory and any missing parents, fsyncing each parent that gained an entry. */
export function mkdirDurable(dir: string): void {
  if (existsSync(dir)) return;
  mkdirDurable(join(dir, '..'));
  mkdirSync(dir);
  fsyncDir(join(dir, '..'));
}

export class DiskGitDir {
  readonly tmpDir: string;
  /** isomorphic-git's pack cache: keeps parsed pack indexes across reads. */
  private readonly packCache = {};
  private packsChecked = false;
  private hasPacks = false;

  constructor(readonly gitdir: string) {
    this.tmpDir = join(gitdir, TMP_DIR);
  }

  /**
   * Removes scratch files a crash may have left behind, and a pack whose index never arrived (the pack is
   * renamed into place first; without its .idx git would call it garbage).
   */
  cleanScratch(): void {
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir, { recursive: true });
    const packDir = join(this.gitdir, 'objects', 'pack');
    if (!existsSync(packDir)) return;
    const names = new Set(readdirSync(packDir));
    for (const f of names) {
      if (f.endsWith('.pack') && !names.has(f.replace(/\.pack$/, '.idx'))) rmSync(join(packDir, f), { force: true });
    }
  }

  /** Oids of loose and packed objects starting with `prefix` (for abbreviated revisions). */
  findByPrefix(prefix: string): string[] {
    const out = new Set<string>();
    const looseDir = join(this.gitdir, 'objects', prefix.slice(0, 2));
    if (existsSync(looseDir)) {
      for (const f of readdirSync(looseDir))
        if ((prefix.slice(0, 2) + f).startsWith(prefix)) out.add(prefix.slice(0, 2) + f);
    }
    const packDir = join(this.gitdir, 'objects', 'pack');
    if (existsSync(packDir)) {
      for (const f of readdirSync(packDir)) {
        if (f.endsWith('.idx')) for (const oid of idxOids(readFileSync(join(packDir, f)), prefix)) out.add(oid);
      }
    }
    return [...out];
  }

  private loosePath(oid: string): string {
    return join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
  }

  hasLoose(oid: string): boolean {
    return existsSync(this.loosePath(oid));
  }

  readLoose(oid: string): GitObject | undefined {
    let raw: Buffer;
    try {
      raw = readFileSync(this.loosePath(oid));
    } catch {
      return undefined;
    }
    return parseLooseObject(inflateSync(raw));
  }

  /** Loose first (fast, synchronous), then packs through isomorphic-git. */
  async read(oid: string): Promise<GitObject | undefined> {
    const loose = this.readLoose(oid);
    if (loose) return loose;
    if (!this.packsChecked) {
      this.packsChecked = true;
      const packDir = join(this.gitdir, 'objects', 'pack');
      this.hasPacks = existsSync(packDir) && readdirSync(packDir).some((f) => f.endsWith('.pack'));
    }
    if (!this.hasPacks) return undefined;
    try {
      const r = await git.readObject({ fs, gitdir: this.gitdir, oid, format: 'content', cache: this.packCache });
      return { type: r.type as ObjectType, bytes: Buffer.from(r.object as Uint8Array) };
    } catch {
      return undefined;
    }
  }

  /**
   * Writes objects as loose files, skipping those already there; returns once every file and every
   * receiving directory is fsynced. Deflate level 1: git reads any level, and speed matters more here.
   */
  writeObjects(objects: Iterable<[string, GitObject]>): void {
    const list = [...objects];
    if (list.length >= PACK_THRESHOLD) return this.writePackOf(list);
    const touched = new Set<string>();
    for (const [oid, obj] of list) {
      const target = this.loosePath(oid);
      if (existsSync(target)) continue;
      const dir = join(this.gitdir, 'objects', oid.slice(0, 2));
      if (!existsSync(dir)) {
        mkdirSync(dir);
        touched.add(join(this.gitdir, 'objects'));
      }
      const data = deflateSync(Buffer.concat([objectHeader(obj.type, obj.bytes.length), obj.bytes]), { level: 1 });
      writeFileDurable(this.tmpDir, target, data, false);
      touched.add(dir);
    }
    for (const dir of touched) fsyncDir(dir);
  }

  /**
   * Many objects at once go into one pack: one file and one fsync instead of thousands. The pack is
   * renamed into place before its index, since git only sees packs through their .idx.
   */
  private writePackOf(list: Array<[string, GitObject]>): void {
    const { name, pack, idx } = writePack(list);
    const packDir = join(this.gitdir, 'objects', 'pack');
    mkdirDurable(packDir);
    writeFileDurable(this.tmpDir, join(packDir, `pack-${name}.pack`), pack, false);
    writeFileDurable(this.tmpDir, join(packDir, `pack-${name}.idx`), idx, false);
    fsyncDir(packDir);
    this.packsChecked = true;
    this.hasPacks = true;
  }

  // --- refs ------------------------------------------------------------------------------------------------

  /** `ref: refs/heads/x` → the symbolic target; a bare oid → detached. */
  readHead(): { symbolic: string } | { detached: string } {
    const text = readFileSync(join(this.gitdir, 'HEAD'), 'utf8').trim();
    if (text.startsWith('ref: ')) return { symbolic: text.slice(5).trim() };
    return { detached: text };
  }

  writeHead(head: { symbolic: string } | { detached: string }): void {
    const text = 'symbolic' in head ? `ref: ${head.symbolic}\n` : `${head.detached}\n`;
    writeFileDurable(this.tmpDir, join(this.gitdir, 'HEAD'), text);
  }

  /** Every ref under refs/: loose files override packed-refs. Symbolic refs under refs/ are skipped. */
  readRefs(): Map<string, string> {
    const refs = new Map<string, string>();
    const packed = join(this.gitdir, 'packed-refs');
    if (existsSync(packed)) {
      for (const line of readFileSync(packed, 'utf8').split('\n')) {
        const m = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line);
        if (m) refs.set(m[2]!, m[1]!);
      }
    }
    const walk = (dir: string, prefix: string): void => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
        else {
          const text = readFileSync(full, 'utf8').trim();
          if (/^[0-9a-f]{40}$/.test(text)) refs.set(prefix + name, text);
        }
      }
    };
    walk(join(this.gitdir, 'refs'), 'refs/');
    return refs;
  }

  writeRef(name: string, oid: string): void {
    const target = join(this.gitdir, name);
    mkdirDurable(join(target, '..'));
    writeFileDurable(this.tmpDir, target, `${oid}\n`);
  }

  deleteRef(name: string): void {
    const target = join(this.gitdir, name);
    if (existsSync(target)) {
      unlinkSync(target);
      fsyncDir(join(target, '..'));
    }
    const packed = join(this.gitdir, 'packed-refs');
    if (existsSync(packed)) {
      const lines = readFileSync(packed, 'utf8').split('\n');
      const kept: string[] = [];
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line.endsWith(` ${name}`)) {
          // A peeled line (^oid) right after belongs to the removed ref.
          if (lines[i + 1]?.startsWith('^')) i++;
          continue;
        }
        kept.push(line);
      }
      writeFileDurable(this.tmpDir, packed, kept.join('\n'));
    }
  }
}

/** The config a Linux repository should have; isomorphic-git's init would say otherwise (see DEPENDENCIES.md). */
export function linuxConfig(bare: boolean, extra = ''): string {
  return (
    '[core]\n' +
    '\trepositoryformatversion = 0\n' +
    '\tfilemode = true\n' +
    `\tbare = ${bare}\n` +
    '\tlogallrefupdates = true\n' +
    '\tsymlinks = true\n' +
    '\tignorecase = false\n' +
    extra
  );
}

/** Lays out an empty git directory (bare layout) at `gitdir`, durably. */
export function initGitDir(gitdir: string, headBranch: string, bare: boolean, configExtra = ''): DiskGitDir {
  for (const d of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags', 'info', TMP_DIR]) {
    mkdirSync(join(gitdir, d), { recursive: true });
  }
  const dir = new DiskGitDir(gitdir);
  writeFileDurable(dir.tmpDir, join(gitdir, 'config'), linuxConfig(bare, configExtra));
  writeFileDurable(dir.tmpDir, join(gitdir, 'description'), 'govc Studio repository\n');
  dir.writeHead({ symbolic: `refs/heads/${headBranch}` });
  for (const d of ['objects', 'refs', 'refs/heads', 'refs/tags', '.']) fsyncDir(join(gitdir, d));
  return dir;
}

export function isGitDir(path: string): boolean {
  return existsSync(join(path, 'HEAD')) && existsSync(join(path, 'objects')) && existsSync(join(path, 'refs'));
}

/** The git directory of a repository folder: `<path>/.git` for a work tree, `<path>` itself when bare. */
export function findGitDir(path: string): string {
  if (isGitDir(join(path, '.git'))) return join(path, '.git');
  if (isGitDir(path)) return path;
  throw new GovcError('NOT_A_GIT_REPO', `${path} is not a git repository`, { path });
}
