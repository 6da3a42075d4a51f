import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestSources, listContext, registerContextListing, selectFrom } from '../execute/sources';
import { gitBlobDigest, listGitContext, writeGitContext, type GitFileMode, type GitTree } from './git-source';

function treeOf(files: Record<string, string | { content: string; mode: GitFileMode }>): GitTree & { reads: string[] } {
  const blobs = new Map<string, Buffer>();
  const map = new Map<string, { oid: string; mode: GitFileMode }>();
  for (const [path, spec] of Object.entries(files)) {
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: '100644' as const } : spec;
    const bytes = Buffer.from(content);
    const oid = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    blobs.set(oid, bytes);
    map.set(path, { oid, mode });
  }
  const reads: string[] = [];
  return {
    files: map,
    reads,
    readBlob: async (oid) => {
      reads.push(oid);
      return blobs.get(oid)!;
    },
  };
}

describe('git tree contexts', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-git-context-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  const tree = treeOf({
    'README.md': 'top',
    'app/Dockerfile': 'FROM scratch\nCOPY . /\n',
    'app/.dockerignore': 'node_modules\n*.log\n!keep.log\n',
    'app/src/index.ts': 'console.log(1)',
    'app/run.sh': { content: '#!/bin/sh\n', mode: '100755' },
    'app/link': { content: 'src/index.ts', mode: '120000' },
    'app/node_modules/dep/index.js': 'ignored',
    'app/debug.log': 'ignored',
    'app/keep.log': 'kept by the exception',
    'app/vendor': { content: '', mode: '160000' },
  });

  it('lists a folder of the tree with modes, blob digests and its .dockerignore applied', async () => {
    const context = await listGitContext(tree, { folder: 'app', dockerfile: 'app/Dockerfile' });
    expect(context.ignoreFile).toBe('app/.dockerignore');
    expect(context.entries.map((e) => [e.path, e.type, e.mode.toString(8)])).toEqual([
      ['.dockerignore', 'file', '644'],
      ['Dockerfile', 'file', '644'],
      ['keep.log', 'file', '644'],
      ['link', 'symlink', '777'],
      ['run.sh', 'file', '755'],
      ['src', 'dir', '755'],
      ['src/index.ts', 'file', '644'],
    ]);
    expect(context.entries.find((e) => e.path === 'link')?.target).toBe('src/index.ts');
    expect(context.digests.get('src/index.ts')).toBe(gitBlobDigest(tree.files.get('app/src/index.ts')!.oid));
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile, and the root is a context too', async () => {
    const specific = treeOf({
      'Dockerfile.prod': 'FROM scratch',
      'Dockerfile.prod.dockerignore': 'secret',
      '.dockerignore': 'README.md',
      secret: 's',
      'README.md': 'r',
    });
    const context = await listGitContext(specific, { folder: '.', dockerfile: 'Dockerfile.prod' });
    expect(context.ignoreFile).toBe('Dockerfile.prod.dockerignore');
    expect(context.entries.map((e) => e.path)).toEqual([
      '.dockerignore',
      'Dockerfile.prod',
      'Dockerfile.prod.dockerignore',
      'README.md',
    ]);
  });

  it('writes the context out with real modes, and COPY keys come from blob ids without reading files', async () => {
    const context = await listGitContext(tree, { folder: 'app', dockerfile: 'app/Dockerfile' });
    const root = join(work, 'ctx');
    await writeGitContext(tree, context, root);
    expect((await lstat(join(root, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect((await lstat(join(root, 'src/index.ts'))).mode & 0o777).toBe(0o644);
    expect(await readlink(join(root, 'link'))).toBe('src/index.ts');
    expect(await readFile(join(root, 'keep.log'), 'utf8')).toBe('kept by the exception');
    await expect(lstat(join(root, 'node_modules'))).rejects.toThrow();

    const unregister = registerContextListing({ root, entries: context.entries, digests: context.digests });
    const listed = await listContext(root, 'Dockerfile');
    expect(listed.digests).toBe(context.digests);
    const selection = selectFrom(listed, ['src'], {});
    expect(selection.items[0]!.contentDigest).toBe(context.digests.get('src/index.ts'));
    // The file on disk is gone: a digest that read it would fail.
    await rm(join(root, 'src/index.ts'));
    const digests = await digestSources(selection.items);
    expect(digests['src/index.ts']).toMatch(/^sha256:[0-9a-f]{64}$/);
    unregister();
    expect((await listContext(root, 'Dockerfile')).digests).toBeUndefined();
  });
});
