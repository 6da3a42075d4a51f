/**
 * Writing a repository out as an ordinary git repository: objects (loose), refs, HEAD, a Linux config and,
 * unless bare, the work tree's files plus an index holding the staging area. `git status` in the export
 * then reports exactly what `repos.status` reports.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { GovcError } from '../../../src-shared/errors';
import { copyReachable } from './import';
import type { Entry, GitObject } from './objects';
import type { Repo } from './repo';
import { initGitDir } from './store-disk';
import { sameEntry } from './worktree';

const INDEX_MODES: Record<Entry['mode'], number> = {
  '100644': 0o100644,
  '100755': 0o100755,
  '120000': 0o120000,
  '160000': 0o160000,
};

interface IndexRow {
  path: string;
  entry: Entry;
  /** Stat data of the file on disk; zeros make git re-read the file instead of trusting the index. */
  stat?: { ctimeMs: number; mtimeMs: number; dev: number; ino: number; uid: number; gid: number; size: number };
}

/** Git's index format, version 2: sorted entries with stat data and oids, then a SHA-1 of it all. */
export function encodeIndex(rows: IndexRow[]): Buffer {
  const sorted = rows.slice().sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(sorted.length, 8);
  parts.push(header);
  for (const row of sorted) {
    const name = Buffer.from(row.path, 'utf8');
    const len = 62 + name.length;
    const padded = Math.ceil((len + 1) / 8) * 8; // at least one NUL terminates the name
    const buf = Buffer.alloc(padded);
    const s = row.stat;
    const sec = (ms: number): number => Math.floor(ms / 1000) >>> 0;
    const nsec = (ms: number): number => Math.floor((ms % 1000) * 1e6) >>> 0;
    if (s) {
      buf.writeUInt32BE(sec(s.ctimeMs), 0);
      buf.writeUInt32BE(nsec(s.ctimeMs), 4);
      buf.writeUInt32BE(sec(s.mtimeMs), 8);
      buf.writeUInt32BE(nsec(s.mtimeMs), 12);
      buf.writeUInt32BE(s.dev >>> 0, 16);
      buf.writeUInt32BE(s.ino >>> 0, 20);
      buf.writeUInt32BE(s.uid >>> 0, 28);
      buf.writeUInt32BE(s.gid >>> 0, 32);
      buf.writeUInt32BE(s.size >>> 0, 36);
    }
    buf.writeUInt32BE(INDEX_MODES[row.entry.mode], 24);
    buf.write(row.entry.oid, 40, 'hex');
    buf.writeUInt16BE(Math.min(name.length, 0xfff), 60);
    name.copy(buf, 62);
    parts.push(buf);
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

function checkTarget(path: string): void {
  if (!isAbsolute(path)) throw new GovcError('INVALID_PATH', `The export path must be absolute: ${path}`, { path });
  if (existsSync(path) && (!lstatSync(path).isDirectory() || readdirSync(path).length > 0)) {
    throw new GovcError('EXPORT_TARGET_NOT_EMPTY', `${path} exists and is not an empty folder`, { path });
  }
}

export async function exportRepo(
  repo: Repo,
  path: string,
  bare: boolean,
): Promise<{ path: string; head: string | null; objects: number }> {
  checkTarget(path);
  const gitdir = bare ? path : join(path, '.git');
  const disk = initGitDir(gitdir, repo.branch ?? 'main', bare);
  const objects: Array<[string, GitObject]> = [];
  const roots = [...repo.refs.all().values()];
  const detached = repo.refs.getHead();
  if ('detached' in detached) roots.push(detached.detached);
  const read = async (oid: string): Promise<GitObject | undefined> => repo.store.tryRead(oid);
  let count = await copyReachable(read, roots, (oid, obj) => objects.push([oid, obj]));
  if (!bare) {
    // The index may hold staged contents no commit has yet: they must be objects too.
    for (const e of repo.wt.staged.values()) {
      if (e && e.mode !== '160000') {
        objects.push([e.oid, { type: 'blob', bytes: await repo.blob(e.oid) }]);
        count++;
      }
    }
  }
  disk.writeObjects(objects);
  disk.writeHead(repo.refs.getHead());
  for (const [name, oid] of repo.refs.all()) disk.writeRef(name, oid);
  if (!bare) await writeWorkTree(repo, path, join(gitdir, 'index'));
  return { path, head: repo.head, objects: count };
}

async function writeWorkTree(repo: Repo, root: string, indexFile: string): Promise<void> {
  const files = repo.wt.files();
  for (const [p, e] of files) {
    const target = join(root, p);
    mkdirSync(dirname(target), { recursive: true });
    if (e.mode === '160000') {
      mkdirSync(target, { recursive: true });
      continue;
    }
    const bytes = await repo.blob(e.oid);
    if (e.mode === '120000') symlinkSync(bytes.toString('utf8'), target);
    else {
      writeFileSync(target, bytes);
      if (e.mode === '100755') chmodSync(target, 0o755);
    }
  }
  const rows: IndexRow[] = [];
  const index = new Map(repo.wt.head.files);
  for (const [p, e] of repo.wt.staged) {
    if (e) index.set(p, e);
    else index.delete(p);
  }
  for (const [p, e] of index) {
    const onDisk = files.get(p);
    const row: IndexRow = { path: p, entry: e };
    if (onDisk && sameEntry(onDisk, e) && e.mode !== '160000') row.stat = lstatSync(join(root, p));
    rows.push(row);
  }
  writeFileSync(indexFile, encodeIndex(rows));
}
