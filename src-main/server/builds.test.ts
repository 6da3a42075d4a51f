/**
 * The builds REST API through a real server: a build from a commit and from the work tree to an image,
 * history with filters and paging, logs (whole, and followed while running), compare, cancel, settings,
 * the restart of a server under a running build, and each route's errors (400 with the field, 401, 403,
 * 404).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build as govcBuild } from '../cli/build';
import { buildBusyboxImage } from '../core/build/testing/busybox';
import { startTestServer, type TestServer } from '../testing/server';
import { haveTools } from '../testing/tools';

type Json = Record<string, unknown>;

const DOCKERFILE = 'FROM busybox\nCOPY greeting.txt /greeting.txt\nRUN cat /greeting.txt\n';

describe.runIf(haveTools('bwrap', 'busybox'))('builds over REST', () => {
  let dataDir: string;
  let server: TestServer;
  let reader: string;

  const call = (method: string, path: string, body?: unknown, token?: string) => server.call(method, path, body, token);
  const code = (r: { json: Json }) => (r.json.error as { code: string }).code;

  async function waitFor(id: string, statuses = ['completed', 'failed', 'cancelled']): Promise<Json> {
    const end = Date.now() + 30_000;
    for (;;) {
      const r = await call('GET', `/repos/shop/containers/builds/${id}`);
      if (statuses.includes(r.json.status as string)) return r.json;
      if (Date.now() > end) throw new Error(`build ${id} still ${String(r.json.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'govc-builds-rest-'));
    server = await startTestServer({ dataDir, rateLimit: { perSecond: 100_000, burst: 100_000 } });
    await buildBusyboxImage(server.engine.builds.store);
    expect((await call('POST', '/repos', { id: 'shop', persist: true })).status).toBe(201);
    await call('PUT', '/repos/shop/blob/Dockerfile', { content: DOCKERFILE });
    await call('PUT', '/repos/shop/blob/greeting.txt', { content: 'hello\n' });
    expect((await call('POST', '/repos/shop/commit', { message: 'app' })).status).toBe(201);
    const token = await call('POST', '/tokens', { name: 'reader', role: 'reader' });
    reader = token.json.token as string;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds a commit: 202 pending, then completed with a digest and steps, in the history', async () => {
    const created = await call('POST', '/repos/shop/containers/build', {
      dockerfile: 'Dockerfile',
      tags: ['shop:1'],
      args: { A: '1' },
      labels: { team: 'x' },
    });
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ dockerfile: 'Dockerfile', ref: 'HEAD' });
    expect(created.json.status).toMatch(/^(pending|running)$/); // a free slot starts it at once
    const done = await waitFor(created.json.id as string);
    expect(done).toMatchObject({ status: 'completed', tags: ['shop:1'] });
    expect(done.digest).toMatch(/^sha256:/);
    const steps = done.steps as Json[];
    expect(steps.map((s) => s.cached)).toEqual([false, true, false, false]); // #0 is the policy check
    expect(steps[2]!.miss_reason).toEqual(expect.any(String));

    const log = await call('GET', `/repos/shop/containers/builds/${String(done.id)}/logs`);
    expect(log.status).toBe(200);
    expect(log.text).toContain('#3 hello\n');
    const stepLogs = await call('GET', `/repos/shop/containers/builds/${String(done.id)}/step-logs`);
    expect(stepLogs.json.steps).toContainEqual({ id: '#3', lines: ['hello'], omitted: 0 });

    // The work tree, uncommitted: a second build, then compare and filters.
    await call('PUT', '/repos/shop/blob/greeting.txt', { content: 'changed\n' });
    const wt = await call('POST', '/repos/shop/containers/build', { dockerfile: 'Dockerfile', ref: 'worktree' });
    const second = await waitFor(wt.json.id as string);
    expect((second.steps as Json[])[2]!.miss_reason).toContain('greeting.txt changed');
    const diff = await call('GET', `/repos/shop/containers/builds/${String(done.id)}/compare/${String(second.id)}`);
    expect(diff.status).toBe(200);
    // RUN cat writes nothing: it ran again (a miss) but its result, no layer, is the same.
    expect((diff.json.steps as Json[]).map((s) => [s.change, s.cached_b])).toEqual([
      ['same', false], // the policy check runs every time
      ['same', true],
      ['changed', false],
      ['same', false],
    ]);

    const list = await call('GET', '/repos/shop/containers/builds?status=completed&limit=1');
    expect(list.json).toMatchObject({ count: 1, total: 2 });
    expect((list.json.builds as Json[])[0]!.id).toBe(second.id);
    const page2 = await call('GET', '/repos/shop/containers/builds?limit=1&offset=1&dockerfile=Dockerfile');
    expect((page2.json.builds as Json[])[0]!.id).toBe(done.id);
    expect((await call('GET', '/repos/shop/containers/builds', undefined, reader)).status).toBe(200);
  });

  it('follows the log of a running build, and cancels it with DELETE', async () => {
    await call('PUT', '/repos/shop/blob/slow/Dockerfile', {
      content: 'FROM busybox\nRUN for i in 1 2 3; do echo tick $i; sleep 0.2; done; sleep 100\n',
    });
    const created = await call('POST', '/repos/shop/containers/build', {
      dockerfile: 'slow/Dockerfile',
      ref: 'worktree',
    });
    const id = created.json.id as string;
    await waitFor(id, ['running']);
    const follow = await server.api(`/api/v1/repos/shop/containers/builds/${id}/logs?follow=true`);
    expect(follow.headers.get('content-type')).toContain('text/plain');
    const reader = follow.body!.getReader();
    let seen = '';
    while (!seen.includes('tick 3')) seen += new TextDecoder().decode((await reader.read()).value);
    expect(seen).toContain('#2 tick 1\n#2 tick 2\n#2 tick 3\n');
    const cancelled = await call('DELETE', `/repos/shop/containers/builds/${id}`);
    expect(cancelled.json.status).toBe('cancelled');
    // The stream ends when the build does.
    while (!(await reader.read()).done);
    expect(code(await call('DELETE', `/repos/shop/containers/builds/${id}`, undefined, reader_()))).toBe('FORBIDDEN');
  });
  const reader_ = () => reader;

  it('answers with errors that say what is wrong', async () => {
    const build = '/repos/shop/containers/build';
    const missing = await call('POST', build, { dockerfile: 'nope/Dockerfile' });
    expect([missing.status, code(missing)]).toEqual([404, 'DOCKERFILE_NOT_FOUND']);
    expect((missing.json.error as { details: Json }).details.path).toBe('nope/Dockerfile');
    const noRepo = await call('POST', '/repos/ghost/containers/build', { dockerfile: 'Dockerfile' });
    expect([noRepo.status, code(noRepo)]).toEqual([404, 'REPO_NOT_FOUND']);
    const badField = await call('POST', build, { dockerfile: 'Dockerfile', no_cache: 'yes' });
    expect(badField.status).toBe(400);
    expect((badField.json.error as { details: { issues: Json[] } }).details.issues[0]!.path).toBe('no_cache');
    const badTag = await call('POST', build, { dockerfile: 'Dockerfile', tags: ['Not A Tag'] });
    expect([badTag.status, (badTag.json.error as { details: { issues: Json[] } }).details.issues[0]!.path]).toEqual([
      400,
      'tags.0',
    ]);
    const outside = await call('POST', build, { dockerfile: 'Dockerfile', context: '../x' });
    expect([outside.status, code(outside)]).toEqual([400, 'VALIDATION_FAILED']);
    const noRef = await call('POST', build, { dockerfile: 'Dockerfile', ref: 'no-such-branch' });
    expect(noRef.status).toBe(404);
    const platform = await call('POST', build, { dockerfile: 'Dockerfile', platform: ['linux/s390x'] });
    expect([platform.status, code(platform)]).toEqual([422, 'UNSUPPORTED']);

    const unknown = '/repos/shop/containers/builds/b000000000deadbeef';
    for (const path of [unknown, `${unknown}/logs`, `${unknown}/step-logs`, `${unknown}/compare/b000000000deadbeef`])
      expect([(await call('GET', path)).status, path]).toEqual([404, path]);
    expect((await call('DELETE', unknown)).status).toBe(404);
    expect((await call('GET', '/repos/shop/containers/builds/not-an-id')).status).toBe(400);
    expect((await call('GET', '/repos/ghost/containers/builds')).status).toBe(404);

    const anonymous = await fetch(`${server.url}/api/v1/repos/shop/containers/builds`);
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${server.url}/api/v1${unknown}/logs`)).status).toBe(401);
    const denied = await call('POST', build, { dockerfile: 'Dockerfile' }, reader);
    expect([denied.status, code(denied)]).toEqual([403, 'FORBIDDEN']);
    expect((await call('PUT', '/builds/settings', { concurrency: 3 }, reader)).status).toBe(403);
  });

  it("govc build --server runs the build in the server's queue and prints the digest last", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0);
    const stderr = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((c) => err.push(Buffer.from(c as string).toString()) > 0);
    try {
      const argv = ['--server', server.url, '--token', server.token, '--repo', 'shop', '--no-cache', '-t', 'shop:cli'];
      expect(await govcBuild(argv)).toBe(0);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const digest = out.join('').trim().split('\n').at(-1)!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(err.join('')).toContain('#3 hello\n');
    expect(err.join('')).toContain('naming to shop:cli');
    const failing = ['--server', server.url, '--token', server.token, '--repo', 'shop', '-f', 'nope/Dockerfile'];
    await expect(govcBuild(failing)).rejects.toMatchObject({ code: 'DOCKERFILE_NOT_FOUND' });
  });

  it('keeps its settings, and a restart marks the build it interrupted as failed', async () => {
    expect((await call('PUT', '/builds/settings', { concurrency: 3 })).json).toMatchObject({ concurrency: 3 });
    await call('PUT', '/repos/shop/blob/hang/Dockerfile', { content: 'FROM busybox\nRUN sleep 100\n' });
    const created = await call('POST', '/repos/shop/containers/build', {
      dockerfile: 'hang/Dockerfile',
      ref: 'worktree',
    });
    const id = created.json.id as string;
    await waitFor(id, ['running']);
    expect((await call('GET', '/builds/active')).json).toMatchObject({ running: 1 });

    await server.stop();
    server = await startTestServer({ dataDir, rateLimit: { perSecond: 100_000, burst: 100_000 } });
    const after = await call('GET', `/repos/shop/containers/builds/${id}`);
    expect(after.json).toMatchObject({
      status: 'failed',
      error: { code: 'ENGINE_STOPPED', message: 'the engine stopped during the build' },
    });
    expect((await call('GET', '/builds/settings')).json).toMatchObject({ concurrency: 3 });
  });
});
