/**
 * Importing and cloning repositories the git CLI made: loose objects and packs (after `git gc`), merge
 * commits, annotated tags, several branches. The whole history must come across intact.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { haveTools } from '../../testing/tools';
import * as branches from './branches';
import * as inspect from './inspect';
import { ACTOR, AUTHOR, fsck, git, scratch, type Scratch } from './testkit';

let s: Scratch;
beforeEach(() => {
  s = scratch('govc-import-');
});
afterEach(async () => {
  await s.cleanup();
});

/** A repository with history worth importing: branches, a merge, tags, binary and executable files. */
function makeSource(packed: boolean): string {
  const dir = join(s.dir, packed ? 'src-packed' : 'src-loose');
  git(s.dir, ['init', '-q', '-b', 'main', dir]);
  const write = (p: string, content: string | Buffer, mode?: number): void => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content, mode === undefined ? {} : { mode });
  };
  let t = AUTHOR.time;
  const commit = (msg: string): void => {
    t += 60;
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', msg], { GIT_AUTHOR_DATE: `${t} +0000`, GIT_COMMITTER_DATE: `${t} +0000` });
  };
  write('README.md', '# source\n');
  write('bin/tool', '#!/bin/sh\n', 0o755);
  write('assets/blob.bin', Buffer.from([0, 1, 2, 3, 4, 5]));
  commit('initial');
  git(dir, ['tag', '-a', 'v0.1', '-m', 'first release'], { GIT_COMMITTER_DATE: `${t} +0000` });
  git(dir, ['checkout', '-q', '-b', 'topic']);
  write('topic.txt', 'topic work\n');
  commit('topic');
  git(dir, ['checkout', '-q', 'main']);
  for (let i = 0; i < 5; i++) {
    write(`src/file${i}.txt`, `file ${i}\n`.repeat(50));
    commit(`main ${i}`);
  }
  git(dir, ['merge', '-q', '--no-ff', '-m', 'Merge topic', 'topic'], {
    GIT_AUTHOR_DATE: `${t + 60} +0000`,
    GIT_COMMITTER_DATE: `${t + 60} +0000`,
  });
  git(dir, ['tag', 'light']);
  if (packed) git(dir, ['gc', '-q', '--aggressive']);
  return dir;
}

describe.skipIf(!haveTools('git'))('import and clone', () => {
  it.each([false, true])('imports the whole history (packed: %s)', async (packed) => {
    const src = makeSource(packed);
    if (packed) expect(git(src, ['count-objects', '-v'])).toMatch(/in-pack: [1-9]/);
    const repo = await s.service.create({ id: 'imp', importFrom: src }, 'tester');
    const log = await inspect.log(repo, { limit: 1000, skip: 0 });
    expect(log.commits.map((c) => c.hash)).toEqual(git(src, ['log', '--format=%H']).trim().split('\n'));
    expect(log.commits[0]!.parents).toHaveLength(2);
    expect(repo.head).toBe(git(src, ['rev-parse', 'HEAD']).trim());
    expect(repo.branch).toBe('main');
    expect((await branches.listBranches(repo)).branches.map((b) => b.name)).toEqual(['main', 'topic']);
    const tags = await branches.listTags(repo);
    expect(tags.tags.map((t) => [t.name, t.annotated, t.hash])).toEqual([
      ['light', false, git(src, ['rev-parse', 'light']).trim()],
      ['v0.1', true, git(src, ['rev-parse', 'v0.1^{commit}']).trim()],
    ]);
    expect((await repo.readFile('assets/blob.bin')).bytes).toEqual(Buffer.from([0, 1, 2, 3, 4, 5]));
    expect((await repo.readFile('bin/tool')).entry.mode).toBe('100755');
    expect(repo.wt.status()).toEqual([]);
    // Work continues on top of the imported history.
    await repo.writeFile('new.txt', Buffer.from('after import\n'));
    const c = await repo.commit({ message: 'after import', author: AUTHOR }, ACTOR);
    expect((await repo.history.commit(c.hash)).parents).toEqual([log.commits[0]!.hash]);
  });

  it('imports into a persisted repository git checks clean', async () => {
    const src = makeSource(true);
    await s.service.create({ id: 'pimp', persist: true, importFrom: src }, 'tester');
    const gitdir = join(s.service.reposDir, 'pimp');
    expect(fsck(gitdir)).toEqual({ ok: true, output: '' });
    for (const args of [['log', '--format=%H %P %s', '--all'], ['show-ref'], ['cat-file', '-p', 'v0.1']]) {
      expect(git(s.dir, ['--git-dir', gitdir, ...args])).toBe(git(src, args));
    }
  });

  it('clones: origin/* branches, one local branch, the origin recorded', async () => {
    const src = makeSource(false);
    const repo = await s.service.create({ id: 'cl', persist: true, cloneFrom: src }, 'tester');
    expect([...repo.refs.all().keys()].sort()).toEqual([
      'refs/heads/main',
      'refs/remotes/origin/main',
      'refs/remotes/origin/topic',
      'refs/tags/light',
      'refs/tags/v0.1',
    ]);
    const gitdir = join(s.service.reposDir, 'cl');
    expect(git(s.dir, ['--git-dir', gitdir, 'config', 'remote.origin.url']).trim()).toBe(src);
    expect(git(s.dir, ['--git-dir', gitdir, 'config', 'branch.main.merge']).trim()).toBe('refs/heads/main');
    expect(fsck(gitdir).ok).toBe(true);
    expect(await branches.merge(repo, { ref: 'origin/topic', noFf: false }, ACTOR)).toMatchObject({
      status: 'up-to-date',
    });
  });

  it('refuses sources that are not git repositories, or not absolute', async () => {
    await expect(s.service.create({ id: 'x', importFrom: s.dir }, 'tester')).rejects.toMatchObject({
      code: 'NOT_A_GIT_REPO',
    });
    await expect(s.service.create({ id: 'x', importFrom: 'relative/path' }, 'tester')).rejects.toMatchObject({
      code: 'INVALID_PATH',
    });
    expect(s.service.has('x')).toBe(false);
  });
});
