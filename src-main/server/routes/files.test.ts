/**
 * The repository REST API through a real HTTP server: every /api/v1/repos route, the raw file routes,
 * and their errors (400 with the field, 401, 403, 404, 409, 413, 415).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../testing/tools';
import { startTestServer, type TestServer } from '../../testing/server';

type Json = Record<string, unknown>;
const AUTHOR = { name: 'REST Author', email: 'rest@example.com', time: 1_700_000_000, timezone: '+0000' };

let server: TestServer;
const scratchDir = mkdtempSync(join(tmpdir(), 'govc-rest-'));

beforeAll(async () => {
  server = await startTestServer({ rateLimit: { perSecond: 100_000, burst: 100_000 } });
});
afterAll(async () => {
  await server.stop();
  rmSync(scratchDir, { recursive: true, force: true });
});

// Status and JSON only: the tests compare whole answers.
const call = async (method: string, path: string, body?: unknown) => {
  const { status, json } = await server.call(method, path, body);
  return { status, json };
};

function errorOf(r: { json: Json }): { code: string; message: string; details?: Json } {
  return r.json.error as { code: string; message: string; details?: Json };
}

async function put(repo: string, path: string, body: string | Buffer, query = ''): Promise<Response> {
  return server.api(`/api/v1/repos/${repo}/files/${path}${query}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body,
  });
}

describe('repositories over REST', () => {
  it('creates, lists, gets and deletes repositories', async () => {
    const created = await call('POST', '/repos', { id: 'alpha' });
    expect(created).toEqual({
      status: 201,
      json: { id: 'alpha', persist: false, head: null, branch: 'main', clean: true },
    });
    expect((await call('POST', '/repos', { id: 'beta', persist: true })).json).toMatchObject({ persist: true });
    const list = await call('GET', '/repos');
    expect((list.json.repos as Json[]).map((r) => r.id)).toEqual(['alpha', 'beta']);
    expect(list.json.count).toBe(2);
    expect((await call('GET', '/repos/beta')).json).toMatchObject({ id: 'beta', persist: true });
    expect(await call('DELETE', '/repos/beta')).toEqual({ status: 200, json: { id: 'beta', deleted: true } });
    const again = await call('DELETE', '/repos/beta');
    expect([again.status, errorOf(again).code]).toEqual([404, 'REPO_NOT_FOUND']);
  });

  it('refuses bad creations with the field or the reason', async () => {
    const noId = await call('POST', '/repos', {});
    expect(noId.status).toBe(400);
    expect(errorOf(noId)).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'id' }] } });
    const badPersist = await call('POST', '/repos', { id: 'x', persist: 'yes' });
    expect(errorOf(badPersist).details).toMatchObject({ issues: [{ path: 'persist' }] });
    expect(errorOf(await call('POST', '/repos', { id: '../up' })).code).toBe('INVALID_REPO_ID');
    await call('POST', '/repos', { id: 'dup' });
    const dup = await call('POST', '/repos', { id: 'dup' });
    expect([dup.status, errorOf(dup).code]).toEqual([409, 'REPO_EXISTS']);
    const notGit = await call('POST', '/repos', { id: 'nogit', import_from: scratchDir });
    expect([notGit.status, errorOf(notGit).code]).toEqual([400, 'NOT_A_GIT_REPO']);
  });

  it('needs a token (401) and the right permission (403)', async () => {
    const none = await fetch(`${server.url}/api/v1/repos`);
    expect(none.status).toBe(401);
    const rawNone = await fetch(`${server.url}/api/v1/repos/alpha/files/a.txt`, { method: 'PUT', body: 'x' });
    expect(rawNone.status).toBe(401);
    const tokenRes = await call('POST', '/tokens', { name: 'reader', role: 'reader' });
    const reader = (tokenRes.json as { token: string }).token;
    const asReader = { authorization: `Bearer ${reader}` };
    expect((await server.api('/api/v1/repos', { headers: asReader })).status).toBe(200);
    const denied = await server.api('/api/v1/repos/alpha/files/a.txt', { method: 'PUT', headers: asReader, body: 'x' });
    expect(denied.status).toBe(403);
    const devRes = await call('POST', '/tokens', { name: 'dev', role: 'developer' });
    const asDev = {
      authorization: `Bearer ${(devRes.json as { token: string }).token}`,
      'content-type': 'application/json',
    };
    const devImport = await server.api('/api/v1/repos', {
      method: 'POST',
      headers: asDev,
      body: JSON.stringify({ id: 'stolen', import_from: '/etc' }),
    });
    expect(devImport.status).toBe(403);
    const devCreate = await server.api('/api/v1/repos', { method: 'POST', headers: asDev, body: '{"id":"devs"}' });
    expect(devCreate.status).toBe(201);
    const deniedJson = await server.api('/api/v1/repos/alpha/commit', {
      method: 'POST',
      headers: { ...asReader, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x' }),
    });
    expect(deniedJson.status).toBe(403);
  });
});

describe('persisted repositories across a restart', () => {
  it('loads them back when the engine starts, history and uncommitted work included', async () => {
    const dataDir = join(scratchDir, 'restart');
    const first = await startTestServer({ dataDir });
    const api = (s: TestServer, method: string, path: string, body?: unknown) =>
      s.api(`/api/v1${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    await api(first, 'POST', '/repos', { id: 'durable', persist: true });
    await first.api('/api/v1/repos/durable/files/a.txt', { method: 'PUT', body: 'one\n' });
    const c = (await (
      await api(first, 'POST', '/repos/durable/commit', { message: 'one', author: AUTHOR })
    ).json()) as Json;
    await first.api('/api/v1/repos/durable/files/draft.txt', { method: 'PUT', body: 'draft\n' });
    await first.stop();
    const second = await startTestServer({ dataDir });
    try {
      expect(await (await api(second, 'GET', '/repos/durable')).json()).toMatchObject({ head: c.hash, clean: false });
      expect(await (await second.api('/api/v1/repos/durable/files/draft.txt')).text()).toBe('draft\n');
      const log = (await (await api(second, 'GET', '/repos/durable/log')).json()) as Json;
      expect(log.count).toBe(1);
    } finally {
      await second.stop();
    }
  });
});

describe('work tree, commits and history over REST', () => {
  let first = '';
  let second = '';

  it('writes raw bytes with PUT and reads them back with GET, binary included', async () => {
    await call('POST', '/repos', { id: 'work' });
    const res = await put('work', 'docs/readme.md', '# Hello\n');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ path: 'docs/readme.md', mode: '100644', size: 8, changed: true });
    const bin = Buffer.from([0, 255, 1, 254, 10, 13]);
    expect((await put('work', 'img/a.bin', bin)).status).toBe(200);
    expect((await put('work', 'run.sh', '#!/bin/sh\n', '?mode=100755')).status).toBe(200);
    const back = await server.api('/api/v1/repos/work/files/img/a.bin');
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await back.arrayBuffer())).toEqual(bin);
    // A JSON body is file content here, not an API request.
    const jsonFile = await server.api('/api/v1/repos/work/files/conf.json', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(jsonFile.status).toBe(200);
    expect(await (await server.api('/api/v1/repos/work/files/conf.json')).text()).toBe('{"a":1}');
  });

  it('refuses traversal, .git and unknown files on the raw routes', async () => {
    for (const p of ['..%2F..%2Fetc%2Fpasswd', '.git/config', '%2Fetc%2Fpasswd', 'a/.GIT/x']) {
      const r = await put('work', p, 'x');
      expect([p, r.status, ((await r.json()) as { error: { code: string } }).error.code]).toEqual([
        p,
        400,
        'INVALID_PATH',
      ]);
    }
    // fetch normalises dot segments; a raw request keeps them, as a hostile client would send them.
    const raw = await new Promise<number>((done, fail) => {
      const { hostname, port } = new URL(server.url);
      const req = request(
        {
          hostname,
          port,
          path: '/api/v1/repos/work/files/x/../../../etc/passwd',
          method: 'PUT',
          headers: { authorization: `Bearer ${server.token}` },
        },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end('x');
    });
    expect(raw).toBe(400);
    const missing = await server.api('/api/v1/repos/work/files/nope.txt');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('FILE_NOT_FOUND');
    expect((await server.api('/api/v1/repos/ghost/files/a')).status).toBe(404);
    expect((await put('work', 'x', 'x', '?mode=777')).status).toBe(400);
  });

  it('rejects bodies over the file limit with 413', async () => {
    const big = Buffer.alloc(64 * 1024 * 1024 + 1, 97);
    const r = await put('work', 'big.bin', big);
    expect(r.status).toBe(413);
  });

  it('reports status, stages and commits with 201', async () => {
    const status = await call('GET', '/repos/work/status');
    expect(status.json).toMatchObject({ branch: 'main', head: null, clean: false, count: 4 });
    expect(status.json.files).toContainEqual({ path: 'run.sh', staged: null, unstaged: 'new' });
    expect((await call('POST', '/repos/work/stage', { paths: ['docs'] })).json).toEqual({ staged: ['docs/readme.md'] });
    expect((await call('POST', '/repos/work/unstage', {})).json).toEqual({ unstaged: ['docs/readme.md'] });
    const c = await call('POST', '/repos/work/commit', { message: 'first', author: AUTHOR });
    expect(c.status).toBe(201);
    expect(c.json).toMatchObject({ branch: 'main', changed: ['conf.json', 'docs/readme.md', 'img/a.bin', 'run.sh'] });
    first = c.json.hash as string;
    const nothing = await call('POST', '/repos/work/commit', { message: 'again' });
    expect([nothing.status, errorOf(nothing).code]).toEqual([409, 'NOTHING_TO_COMMIT']);
    const empty = await call('POST', '/repos/work/commit', { message: 'empty', allow_empty: true, author: AUTHOR });
    expect(empty.status).toBe(201);
    const noMsg = await call('POST', '/repos/work/commit', { message: '' });
    expect([noMsg.status, errorOf(noMsg).details]).toMatchObject([400, { issues: [{ path: 'message' }] }]);
    await put('work', 'docs/readme.md', '# Hello\nworld\n');
    await call('DELETE', '/repos/work/blob/conf.json');
    const c2 = await call('POST', '/repos/work/commit', { message: 'second', author: AUTHOR, all: true });
    second = c2.json.hash as string;
    expect(c2.json.changed).toEqual(['conf.json', 'docs/readme.md']);
  });

  it('pages the log newest first and reads files at a revision', async () => {
    const log = await call('GET', '/repos/work/log?limit=2');
    expect(log.json.count).toBe(2);
    const commits = log.json.commits as Json[];
    expect(commits[0]).toMatchObject({ hash: second, message: 'second\n', author: { name: AUTHOR.name } });
    expect(commits[0]!.parents).toHaveLength(1);
    expect(typeof commits[0]!.time).toBe('string');
    const older = await call('GET', `/repos/work/log?ref=${first}&limit=5`);
    expect((older.json.commits as Json[]).map((c) => c.hash)).toEqual([first]);
    const byPath = await call('GET', '/repos/work/log?path=docs/readme.md');
    expect(byPath.json.count).toBe(2);
    const bad = await call('GET', '/repos/work/log?limit=abc');
    expect([bad.status, errorOf(bad).details]).toMatchObject([400, { issues: [{ path: 'limit' }] }]);
    const unknown = await call('GET', '/repos/work/log?ref=no-such-branch');
    expect([unknown.status, errorOf(unknown).code]).toEqual([404, 'REV_NOT_FOUND']);
    const atFirst = await server.api(`/api/v1/repos/work/files/docs/readme.md?ref=${first}`);
    expect(await atFirst.text()).toBe('# Hello\n');
    const json = await call('GET', `/repos/work/blob/docs/readme.md?ref=${first.slice(0, 10)}`);
    expect(json.json).toMatchObject({ content: '# Hello\n', encoding: 'utf8', mode: '100644' });
    const binAsText = await call('GET', '/repos/work/blob/img/a.bin');
    expect([binAsText.status, errorOf(binAsText).code]).toEqual([415, 'BINARY_FILE']);
    const b64 = await call('GET', '/repos/work/blob/img/a.bin?encoding=base64');
    expect(Buffer.from(b64.json.content as string, 'base64')).toEqual(Buffer.from([0, 255, 1, 254, 10, 13]));
  });

  it('shows commits, diffs and lists trees', async () => {
    const show = await call('GET', `/repos/work/commits/${second}`);
    expect(show.json).toMatchObject({ hash: second, additions: 1, deletions: 1 });
    expect((show.json.files as Json[]).map((f) => [f.path, f.status])).toEqual([
      ['conf.json', 'deleted'],
      ['docs/readme.md', 'modified'],
    ]);
    expect(show.json.patch).toContain('+world');
    const noPatch = await call('GET', `/repos/work/commits/${second}?patch=false`);
    expect(noPatch.json.patch).toBe('');
    expect((noPatch.json.files as Json[])[1]).toMatchObject({ additions: 1, deletions: 0, hunks: [] });
    expect((await call('GET', '/repos/work/commits/0000000000000000000000000000000000000000')).status).toBe(404);
    await put('work', 'docs/readme.md', '# Bye\nworld\n');
    const wd = await call('GET', '/repos/work/diff');
    expect(wd.json).toMatchObject({ additions: 1, deletions: 1 });
    expect((wd.json.files as Json[])[0]!.hunks).toEqual([
      { oldStart: 1, oldLines: 2, newStart: 1, newLines: 2, lines: ['-# Hello', '+# Bye', ' world'] },
    ]);
    expect((await call('GET', '/repos/work/diff?staged=true')).json.files).toEqual([]);
    const between = await call('GET', `/repos/work/diff?from=${first}&to=${second}&path=docs`);
    expect((between.json.files as Json[]).map((f) => f.path)).toEqual(['docs/readme.md']);
    const tree = await call('GET', '/repos/work/tree');
    expect((tree.json.entries as Json[]).map((e) => `${e.type}:${e.path}`)).toEqual([
      'tree:docs',
      'tree:img',
      'blob:run.sh',
    ]);
    const rec = await call('GET', `/repos/work/tree?ref=${first}&recursive=true`);
    expect(rec.json.count).toBe(4);
    expect((await call('GET', '/repos/work/tree?path=nope')).status).toBe(404);
    await call('POST', '/repos/work/restore', { paths: ['docs/readme.md'] });
    expect((await call('GET', '/repos/work/status')).json.clean).toBe(true);
  });

  it('moves and deletes files through the JSON routes', async () => {
    const w = await call('PUT', '/repos/work/blob/notes/todo.txt', { content: 'buy milk\n' });
    expect(w.json).toMatchObject({ path: 'notes/todo.txt', changed: true });
    const b = await call('PUT', '/repos/work/blob/notes/pic.bin', { content: 'AAEC', encoding: 'base64' });
    expect(b.json).toMatchObject({ size: 3 });
    const mv = await call('POST', '/repos/work/move', { from: 'notes', to: 'archive/notes' });
    expect(mv.json.moved).toEqual([
      { from: 'notes/pic.bin', to: 'archive/notes/pic.bin' },
      { from: 'notes/todo.txt', to: 'archive/notes/todo.txt' },
    ]);
    const clash = await call('POST', '/repos/work/move', { from: 'run.sh', to: 'archive/notes/todo.txt' });
    expect([clash.status, errorOf(clash).code]).toEqual([409, 'PATH_CONFLICT']);
    const trav = await call('POST', '/repos/work/move', { from: 'run.sh', to: '../x' });
    expect([trav.status, errorOf(trav).code]).toEqual([400, 'INVALID_PATH']);
    expect((await call('DELETE', '/repos/work/blob/archive')).json.deleted).toHaveLength(2);
    expect((await call('DELETE', '/repos/work/blob/archive')).status).toBe(404);
  });

  it('branches, checks out, merges and tags', async () => {
    const br = await call('POST', '/repos/work/branches', { name: 'feature/x' });
    expect(br).toMatchObject({ status: 201, json: { name: 'feature/x', hash: second, current: false } });
    const badName = await call('POST', '/repos/work/branches', { name: 'bad..name' });
    expect([badName.status, errorOf(badName).code]).toEqual([400, 'INVALID_REF']);
    const exists = await call('POST', '/repos/work/branches', { name: 'feature/x' });
    expect([exists.status, errorOf(exists).code]).toEqual([409, 'BRANCH_EXISTS']);
    expect((await call('POST', '/repos/work/checkout', { branch: 'feature/x' })).json).toEqual({
      branch: 'feature/x',
      head: second,
    });
    await put('work', 'feature.txt', 'feature\n');
    const fc = await call('POST', '/repos/work/commit', { message: 'feature', author: AUTHOR });
    const list = await call('GET', '/repos/work/branches');
    expect(list.json).toMatchObject({ current: 'feature/x', count: 2 });
    expect((list.json.branches as Json[]).find((b) => b.name === 'main')).toMatchObject({ ahead: 0, behind: 1 });
    await call('POST', '/repos/work/checkout', { branch: 'main' });
    const unmerged = await call('DELETE', '/repos/work/branches/feature/x');
    expect([unmerged.status, errorOf(unmerged).code]).toEqual([409, 'BRANCH_NOT_MERGED']);
    const ff = await call('POST', '/repos/work/merge', { ref: 'feature/x' });
    expect(ff.json).toMatchObject({ status: 'fast-forward', hash: fc.json.hash, changed: ['feature.txt'] });
    expect((await call('DELETE', '/repos/work/branches/feature/x')).json).toMatchObject({ name: 'feature/x' });
    expect((await call('DELETE', '/repos/work/branches/feature/x')).status).toBe(404);
    expect((await call('POST', '/repos/work/checkout', { branch: 'nope' })).status).toBe(404);
    const tag = await call('POST', '/repos/work/tags', { name: 'v1', message: 'one', tagger: AUTHOR });
    expect(tag).toMatchObject({ status: 201, json: { name: 'v1', annotated: true, hash: fc.json.hash } });
    await call('POST', '/repos/work/tags', { name: 'light' });
    expect((await call('GET', '/repos/work/tags')).json.count).toBe(2);
    expect((await call('POST', '/repos/work/tags', { name: 'v1' })).status).toBe(409);
    expect((await call('DELETE', '/repos/work/tags/light')).json).toEqual({ name: 'light' });
    expect((await call('DELETE', '/repos/work/tags/light')).status).toBe(404);
  });

  it('reports merge conflicts as 409 with the paths, and changes nothing', async () => {
    await call('POST', '/repos/work/branches', { name: 'other', checkout: true });
    await put('work', 'feature.txt', 'other side\n');
    await call('POST', '/repos/work/commit', { message: 'other', author: AUTHOR });
    await call('POST', '/repos/work/checkout', { branch: 'main' });
    await put('work', 'feature.txt', 'main side\n');
    const mine = await call('POST', '/repos/work/commit', { message: 'main', author: AUTHOR });
    const merge = await call('POST', '/repos/work/merge', { ref: 'other' });
    expect(merge.status).toBe(409);
    expect(errorOf(merge)).toMatchObject({
      code: 'MERGE_CONFLICT',
      details: { paths: ['feature.txt'], conflicts: [{ path: 'feature.txt', reason: 'content' }] },
    });
    expect((await call('GET', '/repos/work')).json).toMatchObject({ head: mine.json.hash, clean: true });
  });

  it.skipIf(!haveTools('git'))('exports, imports and clones through the API', async () => {
    const out = join(scratchDir, 'exported');
    const exp = await call('POST', '/repos/work/export', { path: out });
    expect(exp.json).toMatchObject({ path: out });
    expect(execFileSync('git', ['-C', out, 'status', '--porcelain'], { encoding: 'utf8' })).toBe('');
    const imp = await call('POST', '/repos', { id: 'imported', import_from: out });
    expect(imp.status).toBe(201);
    expect(imp.json.head).toBe((await call('GET', '/repos/work')).json.head);
    const cl = await call('POST', '/repos', { id: 'cloned', clone_from: out, persist: true });
    expect(cl.json).toMatchObject({ persist: true, head: imp.json.head });
    const taken = await call('POST', '/repos/work/export', { path: out });
    expect([taken.status, errorOf(taken).code]).toEqual([409, 'EXPORT_TARGET_NOT_EMPTY']);
  });
});
