/**
 * The repository model against the git CLI: same commits give the same hashes, persisted repositories
 * pass `git fsck --strict`, and status, show, diff and merge agree with what git says about an export.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyEngineEvent } from '../../../src-shared/contract';
import { haveTools } from '../../testing/tools';
import * as branches from './branches';
import * as inspect from './inspect';
import type { Repo } from './repo';
import { Snapshot } from './snapshot';
import { ACTOR, AUTHOR, fsck, git, scratch, type Scratch } from './testkit';

const hasGit = haveTools('git');
const text = (s: string): Buffer => Buffer.from(s, 'utf8');

let s: Scratch;
beforeEach(() => {
  s = scratch();
});
afterEach(async () => {
  await s.cleanup();
});

async function commit(repo: Repo, message: string, extra: { all?: boolean; allowEmpty?: boolean } = {}) {
  return repo.commit({ message, author: AUTHOR, ...extra }, ACTOR);
}

let exports = 0;
async function exportTo(repo: Repo): Promise<string> {
  const dir = join(s.dir, `export-${++exports}`);
  await s.service.export(repo.id, dir, false);
  return dir;
}

describe('an empty repository', () => {
  it('starts on main with no commits and a clean work tree', async () => {
    const repo = await s.service.create({ id: 'empty' }, 'tester');
    expect(repo.info()).toEqual({ id: 'empty', persist: false, head: null, branch: 'main', clean: true });
    expect(await inspect.log(repo, { limit: 10, skip: 0 })).toEqual({ commits: [], count: 0, more: false });
    expect(repo.wt.status()).toEqual([]);
  });
});

describe('files and the work tree', () => {
  it('reads back what it wrote: text, binary, executable and symlink', async () => {
    const repo = await s.service.create({ id: 'files' }, 'tester');
    const bin = Buffer.from([0, 1, 2, 3, 255]);
    await repo.writeFile('a.txt', text('hello\n'));
    await repo.writeFile('img/logo.png', bin);
    await repo.writeFile('run.sh', text('#!/bin/sh\n'), '100755');
    await repo.writeFile('link', text('a.txt'), '120000');
    expect((await repo.readFile('img/logo.png')).bytes.equals(bin)).toBe(true);
    expect((await repo.readText('a.txt')).text).toBe('hello\n');
    expect((await repo.readFile('run.sh')).entry.mode).toBe('100755');
    await expect(repo.readText('img/logo.png')).rejects.toMatchObject({ code: 'BINARY_FILE' });
    const listing = await inspect.tree(repo, { recursive: false });
    expect(listing.entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      'blob a.txt',
      'tree img',
      'blob link',
      'blob run.sh',
    ]);
  });

  it('moves and deletes files and directories', async () => {
    const repo = await s.service.create({ id: 'mv' }, 'tester');
    await repo.writeFile('d/a', text('a'));
    await repo.writeFile('d/sub/b', text('b'));
    await commit(repo, 'two files');
    expect(await repo.moveFile('d', 'e')).toEqual({
      moved: [
        { from: 'd/a', to: 'e/a' },
        { from: 'd/sub/b', to: 'e/sub/b' },
      ],
    });
    expect((await repo.readText('e/sub/b')).text).toBe('b');
    await expect(repo.readFile('d/a')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect(await repo.deleteFile('e')).toEqual({ deleted: ['e/a', 'e/sub/b'] });
    expect(repo.wt.status()).toEqual([
      { path: 'd/a', staged: null, unstaged: 'deleted' },
      { path: 'd/sub/b', staged: null, unstaged: 'deleted' },
    ]);
  });

  it('refuses bad paths and file/directory clashes without changing anything', async () => {
    const repo = await s.service.create({ id: 'bad' }, 'tester');
    await repo.writeFile('f', text('x'));
    await repo.writeFile('d/x', text('x'));
    const before = repo.wt.status();
    for (const p of ['../escape', '/abs', '.git/config', 'a/../../b', 'd/.git/hooks/pre-commit']) {
      await expect(repo.writeFile(p, text('x'))).rejects.toMatchObject({ code: 'INVALID_PATH' });
    }
    await expect(repo.writeFile('f/child', text('x'))).rejects.toMatchObject({ code: 'PATH_CONFLICT' });
    await expect(repo.writeFile('d', text('x'))).rejects.toMatchObject({ code: 'PATH_CONFLICT' });
    await expect(repo.moveFile('f', 'd/x')).rejects.toMatchObject({ code: 'PATH_CONFLICT' });
    expect(repo.wt.status()).toEqual(before);
    expect((await repo.readText('f')).text).toBe('x');
  });
});

describe('the work tree index', () => {
  it('knows which directories exist through any mix of writes, deletes, staging and commits', async () => {
    const repo = await s.service.create({ id: 'random' }, 'tester');
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // 'a/b' and 'f/h' are files in some steps and directories in others.
    const paths = ['a/b/c', 'a/b/d', 'a/e', 'f/g', 'f/h/i', 'j', 'a/b', 'f/h'];
    const dirs = ['a', 'a/b', 'f', 'f/h', 'x'];
    for (let step = 0; step < 600; step++) {
      const p = paths[rnd(paths.length)]!;
      const op = rnd(6);
      try {
        if (op === 0 || op === 1) await repo.writeFile(p, text(`${step}`));
        else if (op === 2) await repo.deleteFile(p);
        else if (op === 3) await repo.stage([p]);
        else if (op === 4) await repo.unstage();
        else if (rnd(4) === 0) await commit(repo, `step ${step}`, { all: rnd(2) === 0 });
        else await repo.restore([p]);
      } catch (err) {
        expect((err as { code: string }).code).toMatch(/FILE_NOT_FOUND|NOTHING_TO_COMMIT|PATH_CONFLICT/);
      }
      // The incrementally built HEAD snapshot equals one read afresh from its root tree.
      const fresh = await Snapshot.load(repo.store, repo.wt.head.root);
      expect([step, [...repo.wt.head.files].sort()]).toEqual([step, [...fresh.files].sort()]);
      expect([step, [...repo.wt.head.dirs.keys()].sort()]).toEqual([step, [...fresh.dirs.keys()].sort()]);
      const files = [...repo.wt.files().keys()];
      for (const d of dirs) {
        expect([step, d, repo.wt.isDirInWork(d)]).toEqual([step, d, files.some((f) => f.startsWith(d + '/'))]);
      }
    }
  });
});

describe.skipIf(!hasGit)('commits against the git CLI', () => {
  it('produces the same commit hashes as git for the same content, author and time', async () => {
    const repo = await s.service.create({ id: 'same' }, 'tester');
    await repo.writeFile('README.md', text('# hi\n'));
    await repo.writeFile('src/main.c', text('int main() { return 0; }\n'));
    await repo.writeFile('bin/tool', text('#!/bin/sh\necho tool\n'), '100755');
    await repo.writeFile('docs/link', text('../README.md'), '120000');
    const first = await commit(repo, 'first');
    await repo.writeFile('src/main.c', text('int main() { return 1; }\n'));
    await repo.deleteFile('README.md');
    const second = await commit(repo, 'second\n\nwith a body');

    const dir = join(s.dir, 'by-git');
    git(s.dir, ['init', '-q', '-b', 'main', dir]);
    for (const d of ['src', 'bin', 'docs']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'README.md'), '# hi\n');
    writeFileSync(join(dir, 'src/main.c'), 'int main() { return 0; }\n');
    writeFileSync(join(dir, 'bin/tool'), '#!/bin/sh\necho tool\n', { mode: 0o755 });
    symlinkSync('../README.md', join(dir, 'docs/link'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'first']);
    writeFileSync(join(dir, 'src/main.c'), 'int main() { return 1; }\n');
    rmSync(join(dir, 'README.md'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'second\n\nwith a body']);
    expect(git(dir, ['rev-parse', 'HEAD~1']).trim()).toBe(first.hash);
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(second.hash);
    expect(second.changed).toEqual(['README.md', 'src/main.c']);
  });

  it('persists a repository git reads: fsck --strict clean, same log, same files', async () => {
    const repo = await s.service.create({ id: 'disk', persist: true }, 'tester');
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++) {
      await repo.writeFile(`dir${i % 2}/file${i}.txt`, text(`content ${i}\n`));
      hashes.unshift((await commit(repo, `commit ${i}`)).hash);
    }
    const gitdir = join(s.service.reposDir, 'disk');
    const check = fsck(gitdir);
    expect(check.output).toBe('');
    expect(check.ok).toBe(true);
    expect(git(s.dir, ['--git-dir', gitdir, 'log', '--format=%H']).trim().split('\n')).toEqual(hashes);
    expect(git(s.dir, ['--git-dir', gitdir, 'show', 'HEAD:dir0/file4.txt'])).toBe('content 4\n');
    const config = git(s.dir, ['--git-dir', gitdir, 'config', '--list']);
    expect(config).toContain('core.filemode=true');
    expect(config).toContain('core.symlinks=true');
    expect(config).toContain('core.ignorecase=false');
    expect(config).toContain('core.bare=true');
  });

  it('writes large commits as a pack git verifies, and reads it back after a restart', async () => {
    const repo = await s.service.create({ id: 'packed', persist: true }, 'tester');
    for (let i = 0; i < 300; i++) await repo.writeFile(`d${i % 9}/f${i}.txt`, text(`file ${i}\n`));
    const c = await commit(repo, 'many files');
    const gitdir = join(s.service.reposDir, 'packed');
    const packs = readdirSync(join(gitdir, 'objects', 'pack'));
    expect(packs.filter((f) => f.endsWith('.idx'))).toHaveLength(1);
    const idx = join(
      gitdir,
      'objects',
      'pack',
      packs.find((f) => f.endsWith('.idx'))!,
    );
    expect(git(s.dir, ['--git-dir', gitdir, 'verify-pack', '-v', idx])).toMatch(/\.pack: ok/);
    expect(fsck(gitdir)).toEqual({ ok: true, output: '' });
    expect(git(s.dir, ['--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'HEAD']).trim().split('\n')).toHaveLength(
      300,
    );
    await s.service.close();
    const { RepoService } = await import('./service');
    const again = new RepoService({ dataDir: join(s.dir, 'data'), bus: s.bus });
    const back = await again.get('packed');
    expect((await back.readText('d4/f157.txt')).text).toBe('file 157\n');
    expect((await inspect.log(back, { limit: 1, skip: 0, ref: c.hash.slice(0, 8) })).commits[0]!.hash).toBe(c.hash);
    await back.writeFile('d4/f157.txt', text('changed\n'));
    await back.commit({ message: 'after restart', author: AUTHOR }, ACTOR);
    expect(fsck(gitdir).ok).toBe(true);
    await again.close();
  });

  it('turns a file into a directory and back across commits, as git records it', async () => {
    const repo = await s.service.create({ id: 'df', persist: true }, 'tester');
    const gitdir = join(s.service.reposDir, 'df');
    const lsTree = (): string => git(s.dir, ['--git-dir', gitdir, 'ls-tree', '-r', '-t', 'HEAD']);
    await repo.writeFile('x/a', text('file\n'));
    await repo.writeFile('x/keep', text('keep\n'));
    await commit(repo, 'a is a file');
    await repo.deleteFile('x/a');
    await repo.writeFile('x/a/b', text('nested\n'));
    await repo.stage(['x/a/b']); // staging the new file stages the old file's removal too
    expect(repo.wt.status()).toEqual([
      { path: 'x/a', staged: 'deleted', unstaged: null },
      { path: 'x/a/b', staged: 'added', unstaged: null },
    ]);
    await commit(repo, 'a is a directory');
    expect(lsTree()).toMatch(/040000 tree \w+\tx\/a\n100644 blob \w+\tx\/a\/b\n/);
    await repo.deleteFile('x/a');
    await repo.writeFile('x/a', text('file again\n'));
    await commit(repo, 'a is a file again', { all: true });
    expect(lsTree()).toMatch(/100644 blob \w+\tx\/a\n/);
    expect(lsTree()).not.toContain('x/a/b');
    expect(fsck(gitdir)).toEqual({ ok: true, output: '' });
  });

  it('serialises concurrent writes and commits: a linear history, nothing lost', async () => {
    const repo = await s.service.create({ id: 'concurrent', persist: true }, 'tester');
    // Calls are queued in call order: each write is followed by its own commit, whatever awaits in between.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const written = repo.writeFile(`f${i}.txt`, text(`${i}\n`));
        const committed = commit(repo, `c${i}`);
        return written.then(() => committed);
      }),
    );
    expect(results.map((r) => r.changed)).toEqual(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`]));
    const log = await inspect.log(repo, { limit: 100, skip: 0 });
    expect(log.commits.map((c) => c.hash)).toEqual(results.map((r) => r.hash).reverse());
    expect(log.commits.every((c) => c.parents.length <= 1)).toBe(true);
    expect((await inspect.tree(repo, { ref: 'HEAD', recursive: true })).count).toBe(20);
    expect(fsck(join(s.service.reposDir, 'concurrent')).ok).toBe(true);
  });

  it('refuses empty commits unless allowed', async () => {
    const repo = await s.service.create({ id: 'emptyc' }, 'tester');
    await expect(commit(repo, 'nothing')).rejects.toMatchObject({ code: 'NOTHING_TO_COMMIT' });
    const c = await commit(repo, 'root', { allowEmpty: true });
    expect((await repo.history.commit(c.hash)).tree).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    await expect(commit(repo, 'still nothing')).rejects.toMatchObject({ code: 'NOTHING_TO_COMMIT' });
    await expect(repo.commit({ message: '  ', author: AUTHOR }, ACTOR)).rejects.toMatchObject({
      code: 'EMPTY_MESSAGE',
    });
    await expect(
      repo.commit({ message: 'x', author: { name: 'Evil <x>', email: 'e@x' }, allowEmpty: true }, ACTOR),
    ).rejects.toMatchObject({ code: 'INVALID_AUTHOR' });
  });

  it('reports status as git status does on an export', async () => {
    const repo = await s.service.create({ id: 'status' }, 'tester');
    for (const p of ['keep', 'modify', 'remove', 'stage-mod', 'stage-rm', 'both'])
      await repo.writeFile(p, text(p + '\n'));
    await commit(repo, 'base');
    await repo.writeFile('modify', text('changed\n'));
    await repo.deleteFile('remove');
    await repo.writeFile('stage-mod', text('staged change\n'));
    await repo.deleteFile('stage-rm');
    await repo.writeFile('added', text('new and staged\n'));
    await repo.writeFile('untracked', text('?\n'));
    await repo.writeFile('both', text('staged\n'));
    await repo.stage(['stage-mod', 'stage-rm', 'added', 'both']);
    await repo.writeFile('both', text('and then changed again\n'));
    const ours = repo.wt.status();
    const code = { added: 'A', modified: 'M', deleted: 'D', new: '?' } as const;
    const porcelain = ours.map((f) =>
      f.unstaged === 'new'
        ? `?? ${f.path}`
        : `${f.staged ? code[f.staged] : ' '}${f.unstaged ? code[f.unstaged] : ' '} ${f.path}`,
    );
    const dir = await exportTo(repo);
    expect(git(dir, ['status', '--porcelain']).trimEnd().split('\n')).toEqual(porcelain);
    expect(fsck(join(dir, '.git')).ok).toBe(true);
  });

  it('stages, unstages and restores', async () => {
    const repo = await s.service.create({ id: 'stage' }, 'tester');
    await repo.writeFile('a', text('1\n'));
    await repo.writeFile('b', text('1\n'));
    await commit(repo, 'base');
    await repo.writeFile('a', text('2\n'));
    await repo.writeFile('b', text('2\n'));
    expect(await repo.stage(['a'])).toEqual({ staged: ['a'] });
    await expect(repo.stage(['nope'])).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect(repo.wt.status()).toEqual([
      { path: 'a', staged: 'modified', unstaged: null },
      { path: 'b', staged: null, unstaged: 'modified' },
    ]);
    // Only the staged file is committed when something is staged.
    const c = await commit(repo, 'only a');
    expect(c.changed).toEqual(['a']);
    expect(repo.wt.status()).toEqual([{ path: 'b', staged: null, unstaged: 'modified' }]);
    await repo.stage();
    expect(await repo.unstage(['b'])).toEqual({ unstaged: ['b'] });
    expect((await repo.readText('b')).text).toBe('2\n');
    expect(await repo.restore(['b'])).toEqual({ restored: ['b'] });
    expect((await repo.readText('b')).text).toBe('1\n');
    expect(repo.wt.status()).toEqual([]);
    await repo.writeFile('a', text('3\n'));
    await repo.restore(['a'], 'HEAD~1');
    expect((await repo.readText('a')).text).toBe('1\n');
    expect(repo.wt.status()).toEqual([{ path: 'a', staged: 'modified', unstaged: null }]);
  });

  it('shows a commit with the line counts and patch git shows', async () => {
    const repo = await s.service.create({ id: 'show' }, 'tester');
    await repo.writeFile('poem.txt', text('roses are red\nviolets are blue\nsugar is sweet\n'));
    await repo.writeFile('gone.txt', text('bye\n'));
    await repo.writeFile('data.bin', Buffer.from([0, 1, 2]));
    await commit(repo, 'base');
    await repo.writeFile('poem.txt', text('roses are red\nviolets are purple\nsugar is sweet\nand so are you\n'));
    await repo.deleteFile('gone.txt');
    await repo.writeFile('data.bin', Buffer.from([0, 1, 3]));
    await repo.writeFile('new.txt', text('fresh\n'));
    await commit(repo, 'change');
    const shown = await inspect.show(repo, 'HEAD', true);
    const dir = await exportTo(repo);
    const numstat = git(dir, ['show', '--numstat', '--format=', 'HEAD']).trim().split('\n');
    expect(
      shown.files.map((f) => (f.binary ? `-\t-\t${f.path}` : `${f.additions}\t${f.deletions}\t${f.path}`)),
    ).toEqual(numstat);
    expect(shown.patch).toBe(git(dir, ['show', '--format=', 'HEAD']));
    expect(shown.parents).toEqual([git(dir, ['rev-parse', 'HEAD~1']).trim()]);
  });

  it('diffs commits, the staging area and the work tree as git diff does', async () => {
    const repo = await s.service.create({ id: 'diff' }, 'tester');
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}\n`);
    await repo.writeFile('long.txt', text(lines.join('')));
    await repo.writeFile('exec.sh', text('echo\n'));
    const a = await commit(repo, 'a');
    lines[2] = 'LINE 2\n';
    lines[25] = 'LINE 25\n';
    await repo.writeFile('long.txt', text(lines.join('')));
    await repo.writeFile('exec.sh', text('echo\n'), '100755');
    const b = await commit(repo, 'b');
    await repo.writeFile('long.txt', text(lines.slice(1).join('')));
    await repo.writeFile('staged.txt', text('s\n'));
    await repo.stage(['staged.txt']);
    const dir = await exportTo(repo);
    expect((await inspect.diff(repo, { from: a.hash, to: b.hash, staged: false, context: 3 })).patch).toBe(
      git(dir, ['diff', a.hash, b.hash]),
    );
    expect((await inspect.diff(repo, { staged: true, context: 3 })).patch).toBe(git(dir, ['diff', '--cached']));
    expect((await inspect.diff(repo, { staged: false, context: 3 })).patch).toBe(git(dir, ['diff', 'HEAD']));
    expect((await inspect.diff(repo, { from: a.hash, staged: false, context: 1 })).patch).toBe(
      git(dir, ['diff', '-U1', a.hash]),
    );
    const d = await inspect.diff(repo, { from: a.hash, to: b.hash, staged: false, context: 3, path: 'long.txt' });
    expect(d.files).toHaveLength(1);
    expect(d.files[0]!.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [1, 6, 1, 6],
      [23, 7, 23, 7],
    ]);
  });

  it('pages the log and follows one path', async () => {
    const repo = await s.service.create({ id: 'log', persist: true }, 'tester');
    for (let i = 0; i < 12; i++) {
      await repo.writeFile(i % 3 === 0 ? 'often.txt' : `other${i}.txt`, text(`${i}\n`));
      await repo.commit({ message: `c${i}`, author: { ...AUTHOR, time: AUTHOR.time + i } }, ACTOR);
    }
    const gitdir = join(s.service.reposDir, 'log');
    const all = git(s.dir, ['--git-dir', gitdir, 'log', '--format=%H']).trim().split('\n');
    const page1 = await inspect.log(repo, { limit: 5, skip: 0 });
    const page3 = await inspect.log(repo, { limit: 5, skip: 10 });
    expect(page1.commits.map((c) => c.hash)).toEqual(all.slice(0, 5));
    expect(page1.more).toBe(true);
    expect(page3.commits.map((c) => c.hash)).toEqual(all.slice(10));
    expect(page3.more).toBe(false);
    const often = await inspect.log(repo, { limit: 100, skip: 0, path: 'often.txt' });
    expect(often.commits.map((c) => c.hash)).toEqual(
      git(s.dir, ['--git-dir', gitdir, 'log', '--format=%H', '--', 'often.txt']).trim().split('\n'),
    );
    expect(page1.commits[0]).toMatchObject({
      message: 'c11\n',
      author: { name: AUTHOR.name, email: AUTHOR.email, time: '2023-11-14T23:13:31+01:00', timezone: '+0100' },
    });
    expect((await inspect.log(repo, { limit: 3, skip: 0, ref: 'HEAD~10' })).count).toBe(2);
    await expect(inspect.log(repo, { limit: 3, skip: 0, ref: 'nope' })).rejects.toMatchObject({
      code: 'REV_NOT_FOUND',
    });
  });
});

describe.skipIf(!hasGit)('branches, tags and merges against the git CLI', () => {
  async function forked(persist = false): Promise<Repo> {
    const repo = await s.service.create({ id: 'fork', persist }, 'tester');
    await repo.writeFile('shared.txt', text('one\ntwo\nthree\nfour\nfive\nsix\nseven\n'));
    await repo.writeFile('main-only.txt', text('m\n'));
    await commit(repo, 'base');
    await branches.createBranch(repo, 'feature', undefined, false, ACTOR);
    return repo;
  }

  it('creates, lists (ahead/behind), switches and deletes branches', async () => {
    const repo = await forked();
    await repo.writeFile('main-only.txt', text('m2\n'));
    await commit(repo, 'main moves');
    await branches.checkout(repo, { branch: 'feature', create: false }, ACTOR);
    expect((await repo.readText('main-only.txt')).text).toBe('m\n');
    await repo.writeFile('f.txt', text('f\n'));
    await commit(repo, 'feature 1');
    await repo.writeFile('f.txt', text('f2\n'));
    await commit(repo, 'feature 2');
    await branches.checkout(repo, { branch: 'main', create: false }, ACTOR);
    const list = await branches.listBranches(repo);
    const dir = await exportTo(repo);
    const [ahead, behind] = git(dir, ['rev-list', '--left-right', '--count', 'feature...main']).trim().split(/\s+/);
    expect(list.branches.find((b) => b.name === 'feature')).toMatchObject({
      ahead: Number(ahead),
      behind: Number(behind),
      current: false,
    });
    expect(list.current).toBe('main');
    await expect(branches.deleteBranch(repo, 'feature', false, ACTOR)).rejects.toMatchObject({
      code: 'BRANCH_NOT_MERGED',
    });
    await expect(branches.deleteBranch(repo, 'main', true, ACTOR)).rejects.toMatchObject({
      code: 'BRANCH_CHECKED_OUT',
    });
    await expect(branches.createBranch(repo, 'bad..name', undefined, false, ACTOR)).rejects.toMatchObject({
      code: 'INVALID_REF',
    });
    await expect(branches.createBranch(repo, 'feature', undefined, false, ACTOR)).rejects.toMatchObject({
      code: 'BRANCH_EXISTS',
    });
    await expect(branches.createBranch(repo, 'feature/sub', undefined, false, ACTOR)).rejects.toMatchObject({
      code: 'REF_EXISTS',
    });
    await expect(branches.checkout(repo, { branch: 'nope', create: false }, ACTOR)).rejects.toMatchObject({
      code: 'BRANCH_NOT_FOUND',
    });
    expect(await branches.deleteBranch(repo, 'feature', true, ACTOR)).toMatchObject({ name: 'feature' });
  });

  it('carries local changes across a checkout, and refuses one that would overwrite them', async () => {
    const repo = await forked();
    await branches.checkout(repo, { branch: 'feature', create: false }, ACTOR);
    await repo.writeFile('main-only.txt', text('feature edit\n'));
    await commit(repo, 'feature edits main-only');
    await branches.checkout(repo, { branch: 'main', create: false }, ACTOR);
    await repo.writeFile('scratch.txt', text('local\n'));
    await branches.checkout(repo, { branch: 'feature', create: false }, ACTOR);
    expect((await repo.readText('scratch.txt')).text).toBe('local\n');
    await repo.writeFile('main-only.txt', text('local edit\n'));
    const before = repo.info();
    await expect(branches.checkout(repo, { branch: 'main', create: false }, ACTOR)).rejects.toMatchObject({
      code: 'DIRTY_WORKTREE',
      details: { paths: ['main-only.txt'] },
    });
    expect(repo.info()).toEqual(before);
  });

  it('fast-forwards, and merges three ways to the tree git merges to', async () => {
    const repo = await forked(true);
    await branches.checkout(repo, { branch: 'feature', create: false }, ACTOR);
    await repo.writeFile('shared.txt', text('one\ntwo\nthree\nfour\nfive\nsix\nSEVEN\n'));
    await repo.writeFile('feature.txt', text('feature\n'));
    const f = await commit(repo, 'feature work');
    await branches.checkout(repo, { branch: 'main', create: false }, ACTOR);
    await branches.createBranch(repo, 'ff', undefined, false, ACTOR);
    await repo.writeFile('shared.txt', text('ONE\ntwo\nthree\nfour\nfive\nsix\nseven\n'));
    await repo.deleteFile('main-only.txt');
    const m = await commit(repo, 'main work');
    const dir = await exportTo(repo);
    git(dir, ['merge', '-q', '--no-edit', 'feature']);
    const merged = await branches.merge(repo, { ref: 'feature', noFf: false, author: AUTHOR }, ACTOR);
    expect(merged.status).toBe('merged');
    expect(merged.base).not.toBeNull();
    const c = await repo.history.commit(merged.hash);
    expect(c.parents).toEqual([m.hash, f.hash]);
    expect(c.tree).toBe(git(dir, ['rev-parse', 'HEAD^{tree}']).trim());
    expect(c.message).toBe("Merge branch 'feature'\n");
    expect(repo.wt.status()).toEqual([]);
    expect(await branches.merge(repo, { ref: 'feature', noFf: false }, ACTOR)).toMatchObject({ status: 'up-to-date' });
    await branches.checkout(repo, { branch: 'ff', create: false }, ACTOR);
    const ff = await branches.merge(repo, { ref: 'main', noFf: false }, ACTOR);
    expect(ff).toMatchObject({ status: 'fast-forward', hash: merged.hash });
    expect((await repo.readText('feature.txt')).text).toBe('feature\n');
    const check = fsck(join(s.service.reposDir, 'fork'));
    expect(check.ok).toBe(true);
    expect(check.output).toBe('');
    expect(git(s.dir, ['--git-dir', join(s.service.reposDir, 'fork'), 'rev-parse', 'ff']).trim()).toBe(merged.hash);
  });

  it('reports conflicts by path as git does and changes nothing', async () => {
    const repo = await forked();
    await branches.checkout(repo, { branch: 'feature', create: false }, ACTOR);
    await repo.writeFile('shared.txt', text('one\nTWO (feature)\nthree\nfour\nfive\nsix\nseven\n'));
    await repo.deleteFile('main-only.txt');
    await repo.writeFile('both-added.txt', text('feature side\n'));
    await repo.writeFile('bin', Buffer.from([0, 1]));
    await commit(repo, 'feature');
    await branches.checkout(repo, { branch: 'main', create: false }, ACTOR);
    await repo.writeFile('shared.txt', text('one\nTWO (main)\nthree\nfour\nfive\nsix\nseven\n'));
    await repo.writeFile('main-only.txt', text('main changed it\n'));
    await repo.writeFile('both-added.txt', text('main side\n'));
    await repo.writeFile('bin', Buffer.from([0, 2]));
    await commit(repo, 'main');
    const before = { ...repo.info(), status: repo.wt.status() };
    const err = await branches.merge(repo, { ref: 'feature', noFf: false }, ACTOR).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MERGE_CONFLICT' });
    const ours = (err as { details: { paths: string[] } }).details.paths;
    expect({ ...repo.info(), status: repo.wt.status() }).toEqual(before);
    const dir = await exportTo(repo);
    let gitConflicts: string[] = [];
    try {
      git(dir, ['merge', '-q', '--no-edit', 'feature']);
    } catch {
      gitConflicts = git(dir, ['diff', '--name-only', '--diff-filter=U']).trim().split('\n');
    }
    expect(ours).toEqual(gitConflicts);
  });

  it('makes lightweight and annotated tags git reads', async () => {
    const repo = await s.service.create({ id: 'tags', persist: true }, 'tester');
    await repo.writeFile('a', text('a\n'));
    const c = await commit(repo, 'tagged');
    await branches.createTag(repo, { name: 'v1', force: false }, ACTOR);
    const annotated = await branches.createTag(
      repo,
      { name: 'v1.0-rc', message: 'Release candidate', tagger: AUTHOR, force: false },
      ACTOR,
    );
    expect(annotated).toMatchObject({ hash: c.hash, annotated: true, message: 'Release candidate\n' });
    await expect(branches.createTag(repo, { name: 'v1', force: false }, ACTOR)).rejects.toMatchObject({
      code: 'TAG_EXISTS',
    });
    await expect(branches.createTag(repo, { name: 'bad^tag', force: false }, ACTOR)).rejects.toMatchObject({
      code: 'INVALID_REF',
    });
    const gitdir = join(s.service.reposDir, 'tags');
    expect(fsck(gitdir)).toEqual({ ok: true, output: '' });
    expect(git(s.dir, ['--git-dir', gitdir, 'tag', '-l']).trim().split('\n')).toEqual(['v1', 'v1.0-rc']);
    expect(git(s.dir, ['--git-dir', gitdir, 'cat-file', '-t', 'v1.0-rc']).trim()).toBe('tag');
    expect(git(s.dir, ['--git-dir', gitdir, 'rev-parse', 'v1.0-rc^{commit}']).trim()).toBe(c.hash);
    expect((await inspect.log(repo, { limit: 1, skip: 0, ref: 'v1.0-rc' })).commits[0]!.hash).toBe(c.hash);
    await branches.deleteTag(repo, 'v1');
    await expect(branches.deleteTag(repo, 'v1')).rejects.toMatchObject({ code: 'TAG_NOT_FOUND' });
  });
});

describe('writes that must not overwrite', () => {
  it('refuses a write whose if_match is not the current content, and changes nothing', async () => {
    const repo = await s.service.create({ id: 'stale' }, 'tester');
    const first = await repo.writeFile('Dockerfile', text('FROM a\n'));
    await repo.writeFile('Dockerfile', text('FROM b\n')); // another client saved meanwhile
    await expect(repo.writeFile('Dockerfile', text('FROM c\n'), undefined, 'tester', first.oid)).rejects.toMatchObject({
      code: 'STALE_WRITE',
    });
    expect((await repo.readText('Dockerfile')).text).toBe('FROM b\n');
    const current = await repo.readFile('Dockerfile');
    await repo.writeFile('Dockerfile', text('FROM c\n'), undefined, 'tester', current.entry.oid);
    expect((await repo.readText('Dockerfile')).text).toBe('FROM c\n');
    await expect(repo.writeFile('gone', text('x'), undefined, 'tester', first.oid)).rejects.toMatchObject({
      code: 'STALE_WRITE',
    });
  });
});

describe('the service', () => {
  it('emits events with the repository and the actor', async () => {
    const seen: AnyEngineEvent[] = [];
    s.bus.subscribe((e) => {
      seen.push(e);
    });
    const repo = await s.service.create({ id: 'ev' }, 'tester');
    await repo.writeFile('a', text('a'), undefined, 'tester');
    const c = await commit(repo, 'one');
    await branches.createBranch(repo, 'b', undefined, true, ACTOR);
    await branches.checkout(repo, { branch: 'main', create: false }, ACTOR);
    await branches.merge(repo, { ref: 'b', noFf: false }, ACTOR);
    await branches.deleteBranch(repo, 'b', false, ACTOR);
    await s.service.delete('ev', 'tester');
    await new Promise((r) => setTimeout(r, 10));
    expect(seen.map((e) => e.type)).toEqual([
      'repo.created',
      'repo.worktree.changed',
      'repo.commit',
      'repo.branch.created',
      'repo.checkout',
      'repo.checkout',
      'repo.merge',
      'repo.branch.deleted',
      'repo.deleted',
    ]);
    expect(seen.every((e) => e.repo === 'ev' && e.actor === 'tester')).toBe(true);
    expect(seen[1]!.data).toEqual({ paths: ['a'] });
    expect(seen[2]!.data).toMatchObject({ hash: c.hash, branch: 'main', changed: ['a'] });
  });

  it('refuses duplicate and invalid ids, and unknown repositories', async () => {
    await s.service.create({ id: 'one' }, 'tester');
    await expect(s.service.create({ id: 'one' }, 'tester')).rejects.toMatchObject({ code: 'REPO_EXISTS' });
    for (const id of ['../x', 'a/b', '.hidden', '', 'x'.repeat(65)]) {
      await expect(s.service.create({ id }, 'tester')).rejects.toMatchObject({ code: 'INVALID_REPO_ID' });
    }
    await expect(s.service.get('nope')).rejects.toMatchObject({ code: 'REPO_NOT_FOUND' });
    await expect(s.service.delete('nope', 'tester')).rejects.toMatchObject({ code: 'REPO_NOT_FOUND' });
    expect((await s.service.list()).map((r) => r.id)).toEqual(['one']);
  });

  it('loads persisted repositories back, with their uncommitted work', async () => {
    const repo = await s.service.create({ id: 'back', persist: true }, 'tester');
    await repo.writeFile('committed', text('c\n'));
    const c = await commit(repo, 'c');
    await repo.writeFile('staged', text('s\n'));
    await repo.stage(['staged']);
    await repo.writeFile('draft', Buffer.from([0, 9, 9]));
    await s.service.create({ id: 'volatile' }, 'tester');
    await s.service.close();
    const { RepoService } = await import('./service');
    const again = new RepoService({ dataDir: join(s.dir, 'data'), bus: s.bus });
    expect((await again.list()).map((r) => r.id)).toEqual(['back']);
    const back = await again.get('back');
    expect(back.head).toBe(c.hash);
    expect(back.wt.status()).toEqual([
      { path: 'draft', staged: null, unstaged: 'new' },
      { path: 'staged', staged: 'added', unstaged: null },
    ]);
    expect((await back.readFile('draft')).bytes).toEqual(Buffer.from([0, 9, 9]));
    await again.delete('back', 'tester');
    expect((await again.list()).length).toBe(0);
    await again.close();
  });

  it.skipIf(!hasGit)('exports a work tree git agrees with, modes and symlinks included', async () => {
    const repo = await s.service.create({ id: 'exp' }, 'tester');
    await repo.writeFile('run.sh', text('#!/bin/sh\n'), '100755');
    await repo.writeFile('ln', text('run.sh'), '120000');
    await commit(repo, 'x');
    const dir = await exportTo(repo);
    expect(statSync(join(dir, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(readlinkSync(join(dir, 'ln'))).toBe('run.sh');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    await expect(s.service.export('exp', dir, false)).rejects.toMatchObject({ code: 'EXPORT_TARGET_NOT_EMPTY' });
  });
});
