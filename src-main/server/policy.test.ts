/**
 * The policy routes through a real HTTP server: the effective policy and the report, for the work tree
 * and a ref, and their errors (401 without a token, 404 for an unknown repository or ref).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';

type Json = Record<string, unknown>;
let server: TestServer;

const call = (method: string, path: string, body?: unknown, token?: string) => server.call(method, path, body, token);

const write = (path: string, content: string) => call('PUT', `/repos/shop/blob/${path}`, { content });

beforeAll(async () => {
  server = await startTestServer({ rateLimit: { perSecond: 100_000, burst: 100_000 } });
  expect((await call('POST', '/repos', { id: 'shop' })).status).toBe(201);
});
afterAll(async () => {
  await server.stop();
});

describe('policy over REST', () => {
  it('serves the defaults when the repository has no policy file', async () => {
    const r = await call('GET', '/repos/shop/policy');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      source: { kind: 'defaults', path: '.govc/policy.yaml', ref: null },
      policy: { version: 1, mode: 'enforce', rules: { GV1001: { severity: 'warning', mode: 'enforce' } } },
      diagnostics: [],
    });
    expect((r.json.enforcement as Json[]).find((n) => n.field === 'scanning')).toMatchObject({ status: 'pending' });
  });

  it('reports findings per definition, counts, and whether a build would be blocked', async () => {
    expect((await write('api/Dockerfile', 'FROM node\nUSER node\nCMD ["node", "app.js"]\n')).status).toBeLessThan(300);
    expect(
      (await write('compose.yaml', 'services:\n  db:\n    image: postgres:16\n    privileged: true\n')).status,
    ).toBeLessThan(300);
    const before = await call('GET', '/repos/shop/policy/report');
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ blocked: false, counts: { error: 0, warning: 2 } });
    expect((before.json.definitions as Json[]).map((d) => d.path)).toEqual(['api/Dockerfile', 'compose.yaml']);

    expect((await write('.govc/policy.yaml', 'version: 1\nrules:\n  GV1002: error\n')).status).toBeLessThan(300);
    const after = await call('GET', '/repos/shop/policy/report');
    expect(after.json).toMatchObject({
      source: { kind: 'file' },
      blocked: true,
      blockedBy: [{ path: 'api/Dockerfile', ruleId: 'GV1002' }],
      counts: { error: 1, warning: 1 },
    });
    const finding = ((after.json.definitions as Json[])[0]!.findings as Json[]).find((f) => f.ruleId === 'GV1002');
    expect(finding).toMatchObject({
      ruleId: 'GV1002',
      severity: 'error',
      mode: 'enforce',
      range: { start: { line: 1, column: 6 } },
    });
  });

  it('reports an invalid policy file with positions, and blocks', async () => {
    await write('.govc/policy.yaml', 'version: 1\nrules:\n  GV1002: loud\n');
    const policy = await call('GET', '/repos/shop/policy');
    expect(policy.json).toMatchObject({ source: { kind: 'invalid' } });
    expect((policy.json.diagnostics as Json[])[0]).toMatchObject({
      range: { start: { line: 3, column: 3 } },
      file: '.govc/policy.yaml',
    });
    const report = await call('GET', '/repos/shop/policy/report');
    expect(report.json).toMatchObject({
      blocked: true,
      blockedBy: [{ path: '.govc/policy.yaml', ruleId: 'policy/schema' }],
    });
  });

  it('reads the policy at a ref', async () => {
    await write('.govc/policy.yaml', 'version: 1\nmode: warn\n');
    expect((await call('POST', '/repos/shop/stage', {})).status).toBeLessThan(300);
    const commit = await call('POST', '/repos/shop/commit', { message: 'Add a policy' });
    expect(commit.status).toBeLessThan(300);
    await write('.govc/policy.yaml', 'version: 1\nmode: enforce\n');
    const atHead = await call('GET', '/repos/shop/policy?ref=HEAD');
    expect(atHead.json).toMatchObject({ source: { kind: 'file', ref: 'HEAD' }, policy: { mode: 'warn' } });
    expect((await call('GET', '/repos/shop/policy')).json).toMatchObject({ policy: { mode: 'enforce' } });
    const report = await call('GET', '/repos/shop/policy/report?ref=HEAD');
    expect(report.status).toBe(200);
    expect((report.json.definitions as Json[]).length).toBe(2);
  });

  it("lints a chart's values and template-free templates and a kustomization, and skips templates", async () => {
    expect((await call('POST', '/repos', { id: 'charts' })).status).toBe(201);
    const files: Record<string, string> = {
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'chart/values.yaml': 'image:\n  repository: nginx\n  tag: latest\n',
      'chart/templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
      'chart/templates/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
      'overlay/kustomization.yaml': 'resources: [../chart]\nimages:\n  - name: nginx\n    newName: mirror/nginx\n',
    };
    for (const [path, content] of Object.entries(files))
      expect((await call('PUT', `/repos/charts/blob/${path}`, { content })).status).toBeLessThan(300);
    const report = await call('GET', '/repos/charts/policy/report');
    expect(report.status).toBe(200);
    const definitions = report.json.definitions as Array<{ path: string; type: string; findings: Json[] }>;
    expect(definitions.map((d) => [d.path, d.type, d.findings.map((f) => f.ruleId)])).toEqual([
      ['chart/templates/namespace.yaml', 'helm', []],
      ['chart/values.yaml', 'helm', ['GV4003']],
      ['overlay/kustomization.yaml', 'kustomize', ['GV4002']],
    ]);
    expect(report.json.skipped).toEqual([{ path: 'chart/templates/deployment.yaml', type: 'helm' }]);
  });

  it('answers 401 without a token and 404 for an unknown repository or ref', async () => {
    for (const path of ['/repos/shop/policy', '/repos/shop/policy/report']) {
      const anonymous = await call('GET', path, undefined, '');
      expect(anonymous.status).toBe(401);
    }
    for (const path of ['/repos/nope/policy', '/repos/nope/policy/report']) {
      const missing = await call('GET', path);
      expect(missing.status).toBe(404);
      expect((missing.json.error as Json).code).toBe('REPO_NOT_FOUND');
    }
    expect((await call('GET', '/repos/shop/policy?ref=no-such-branch')).status).toBe(404);
  });
});
