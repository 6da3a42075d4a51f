/**
 * The container definitions REST API through a real HTTP server: every /containers route, what it does to
 * the repository (staged or committed), and its errors (400 with the field, 401, 404, 409, 413, 422).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEngineEvent, Definition } from '../../src-shared/contract';
import { startTestServer, type TestServer } from '../testing/server';

type Json = Record<string, unknown>;

let server: TestServer;
const events: AnyEngineEvent[] = [];

beforeAll(async () => {
  server = await startTestServer({ rateLimit: { perSecond: 100_000, burst: 100_000 } });
  server.engine.bus.subscribe((e) => void events.push(e), {
    types: ['definition.added', 'definition.changed', 'definition.removed'],
  });
  expect((await call('POST', '/repos', { id: 'shop' })).status).toBe(201);
});
afterAll(async () => {
  await server.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Json = {},
): Promise<{ status: number; json: Json }> {
  const res = await server.api(`/api/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(headers as Record<string, string>),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

const code = (r: { json: Json }) => (r.json.error as { code: string }).code;
const defs = '/repos/shop/containers/definitions';
const DOCKERFILE =
  'FROM node:20 AS build\nRUN npm ci\nFROM gcr.io/distroless/nodejs20\nCOPY --from=build /app /app\nCMD ["app.js"]\n';
const COMPOSE = 'services:\n  api:\n    build: ./api\n    image: ghcr.io/acme/api:1\n';
const MANIFEST =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1\n';

describe('container definitions over REST', () => {
  it('creates definitions, staged without a message and committed with one', async () => {
    const staged = await call('POST', defs, { path: 'api/Dockerfile', content: DOCKERFILE });
    expect(staged.status).toBe(201);
    expect(staged.json).toMatchObject({
      commit: null,
      definition: { path: 'api/Dockerfile', type: 'dockerfile', errors: 0 },
    });
    const status = await call('GET', '/repos/shop/status');
    expect(status.json.files).toEqual([{ path: 'api/Dockerfile', staged: 'added', unstaged: null }]);

    const committed = await call('POST', defs, {
      path: 'compose.yaml',
      content: COMPOSE,
      type: 'compose',
      message: 'Add the compose file',
      author: { name: 'Ann', email: 'ann@example.com' },
    });
    expect(committed.status).toBe(201);
    expect(committed.json.commit).toMatch(/^[0-9a-f]{40}$/);
    const log = await call('GET', '/repos/shop/log');
    expect((log.json.commits as Json[])[0]).toMatchObject({
      message: 'Add the compose file\n',
      author: { name: 'Ann' },
    });

    expect((await call('POST', defs, { path: 'deploy/api.yaml', content: MANIFEST, message: 'Deploy' })).status).toBe(
      201,
    );
  });

  it('lists definitions, filtered by type, and at a revision', async () => {
    const all = await call('GET', defs);
    expect(all.status).toBe(200);
    expect(all.json.count).toBe(3);
    expect((all.json.definitions as Definition[]).map((d) => d.path)).toEqual([
      'api/Dockerfile',
      'compose.yaml',
      'deploy/api.yaml',
    ]);
    const k8s = await call('GET', `${defs}?type=kubernetes`);
    expect((k8s.json.definitions as Definition[]).map((d) => d.type)).toEqual(['kubernetes']);
    const first = await call('GET', `${defs}?ref=HEAD~1`);
    expect((first.json.definitions as Definition[]).map((d) => d.path)).toEqual(['api/Dockerfile', 'compose.yaml']);
  });

  it('reads one definition with its text, and its graph', async () => {
    const one = await call('GET', `${defs}/api/Dockerfile`);
    expect(one.status).toBe(200);
    expect(one.json.content).toBe(DOCKERFILE);
    const def = one.json.definition as Extract<Definition, { type: 'dockerfile' }>;
    expect(def.summary.copies).toEqual([expect.objectContaining({ from: 'build', fromStage: 0, stage: 1 })]);
    expect(def.summary.cmd).toMatchObject({
      value: '["app.js"]',
      form: 'exec',
      range: { start: { line: 5, column: 1 } },
    });

    const graph = await call('GET', '/repos/shop/containers/graph');
    expect(graph.json.edges).toEqual([
      expect.objectContaining({ kind: 'builds', dockerfile: 'api/Dockerfile', image: 'ghcr.io/acme/api:1' }),
      expect.objectContaining({
        kind: 'uses',
        dockerfile: 'api/Dockerfile',
        from: { path: 'deploy/api.yaml', type: 'kubernetes', name: 'Deployment/api' },
      }),
    ]);
  });

  it('updates a definition and reports its diagnostics', async () => {
    const updated = await call('PUT', `${defs}/compose.yaml`, { content: 'services:\n  api:\n    imagee: x\n' });
    expect(updated.status).toBe(200);
    const def = updated.json.definition as Definition;
    expect(def.errors).toBe(1);
    expect(def.diagnostics[0]).toMatchObject({
      rule: 'compose/schema',
      source: 'compose-spec',
      range: { start: { line: 3, column: 5 }, end: { line: 3, column: 11 } },
    });
    expect(updated.json.commit).toBeNull();
  });

  it('deletes a definition, committing the deletion when given a message', async () => {
    const removed = await call(
      'DELETE',
      `${defs}/deploy/api.yaml?message=${encodeURIComponent('Drop the deployment')}`,
    );
    expect(removed.status).toBe(200);
    expect(removed.json).toMatchObject({ path: 'deploy/api.yaml', type: 'kubernetes', deleted: ['deploy/api.yaml'] });
    expect(removed.json.commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await call('GET', `${defs}/deploy/api.yaml`)).status).toBe(404);
  });

  it('emits definition events for changes made through the API and by commits', async () => {
    const pathOf = (e: AnyEngineEvent): string =>
      e.type === 'definition.removed'
        ? e.data.path
        : e.type === 'definition.added' || e.type === 'definition.changed'
          ? e.data.definition.path
          : '';
    const seen = () => events.map((e) => `${e.type} ${pathOf(e)}`);
    expect(seen()).toEqual(
      expect.arrayContaining([
        'definition.added compose.yaml',
        'definition.changed compose.yaml',
        'definition.removed deploy/api.yaml',
      ]),
    );
    events.length = 0;
    // A commit made through the repository API, not this one: the index hears of it from repo.commit.
    await call('PUT', '/repos/shop/blob/web/Dockerfile', { content: 'FROM nginx\n' });
    await call('POST', '/repos/shop/commit', { message: 'Add web' });
    const deadline = Date.now() + 5000;
    while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen()).toEqual(['definition.added web/Dockerfile']);
    expect(events[0]).toMatchObject({ repo: 'shop' });
  });
});

describe('container definition errors', () => {
  it('401 without a token', async () => {
    for (const [method, path] of [
      ['GET', defs],
      ['POST', defs],
      ['GET', `${defs}/x/Dockerfile`],
      ['PUT', `${defs}/Dockerfile`],
      ['DELETE', `${defs}/Dockerfile`],
      ['GET', '/repos/shop/containers/graph'],
    ]) {
      const r = await call(method!, path!, method === 'GET' || method === 'DELETE' ? undefined : {}, {
        authorization: '',
      });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
  });

  it('400 naming the field for bad input', async () => {
    const noContent = await call('POST', defs, { path: 'Dockerfile' });
    expect(noContent.status).toBe(400);
    expect(noContent.json.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'content' })] },
    });
    const badType = await call('GET', `${defs}?type=podman`);
    expect(badType.status).toBe(400);
    expect(JSON.stringify(badType.json)).toContain('"path":"type"');
    const outside = await call('POST', defs, { path: '../Dockerfile', content: 'FROM a\n' });
    expect([outside.status, code(outside)]).toEqual([400, 'INVALID_PATH']);
    const absolute = await call('POST', defs, { path: '/etc/Dockerfile', content: 'FROM a\n' });
    expect([absolute.status, code(absolute)]).toEqual([400, 'INVALID_PATH']);
  });

  it('404 for an unknown repository, path or revision', async () => {
    expect(code(await call('GET', '/repos/nope/containers/definitions'))).toBe('REPO_NOT_FOUND');
    expect((await call('GET', '/repos/nope/containers/definitions')).status).toBe(404);
    const missing = await call('GET', `${defs}/no/Dockerfile`);
    expect([missing.status, code(missing)]).toEqual([404, 'DEFINITION_NOT_FOUND']);
    const readme = await call('PUT', '/repos/shop/blob/README.md', { content: 'hi\n' });
    expect(readme.status).toBe(200);
    expect(code(await call('GET', `${defs}/README.md`))).toBe('DEFINITION_NOT_FOUND');
    expect(code(await call('PUT', `${defs}/nothing/Dockerfile`, { content: 'FROM a\n' }))).toBe('DEFINITION_NOT_FOUND');
    expect(code(await call('DELETE', `${defs}/nothing/Dockerfile`))).toBe('DEFINITION_NOT_FOUND');
    expect((await call('GET', `${defs}?ref=no-such-branch`)).status).toBe(404);
  });

  it('409 when creating over an existing file', async () => {
    const r = await call('POST', defs, { path: 'api/Dockerfile', content: 'FROM a\n' });
    expect([r.status, code(r)]).toEqual([409, 'DEFINITION_EXISTS']);
  });

  it('422 for content that is no definition, or not of the type asked for', async () => {
    const ci = await call('POST', defs, { path: '.github/workflows/ci.yml', content: 'on: push\njobs: {}\n' });
    expect([ci.status, code(ci)]).toEqual([422, 'NOT_A_DEFINITION']);
    const notes = await call('POST', defs, { path: 'notes.txt', content: 'FROM alpine\n' });
    expect(code(notes)).toBe('NOT_A_DEFINITION');
    const mismatch = await call('POST', defs, { path: 'k8s.yaml', content: MANIFEST, type: 'compose' });
    expect([mismatch.status, code(mismatch)]).toEqual([422, 'DEFINITION_TYPE_MISMATCH']);
    expect(mismatch.json.error).toMatchObject({ details: { expected: 'compose', detected: 'kubernetes' } });
    const binary = await call('POST', defs, { path: 'bin/Dockerfile', content: 'FROM a\u0000\u0001' });
    expect([binary.status, code(binary)]).toEqual([422, 'BINARY_CONTENT']);
    const status = await call('GET', '/repos/shop/status');
    expect(JSON.stringify(status.json)).not.toContain('k8s.yaml'); // refused writes leave nothing behind
  });

  it('413 for content over the 1 MiB limit', async () => {
    const big = await call('POST', defs, { path: 'big/Dockerfile', content: `FROM a\n${'#'.repeat(1024 * 1024)}` });
    expect(big.status).toBe(413);
  });
});
