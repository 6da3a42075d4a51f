/**
 * The policy file, suppression comments, the build gate, the repository report and SARIF, each through
 * its public function.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { checkBeforeBuild } from './check';
import { imageMatches, parseImageRef } from './image-ref';
import { lintDefinition, lintFile } from './lint';
import { defaults, enforcement, loadPolicy } from './load';
import { policyReport, type PolicyFiles } from './report';
import { RULES } from './rules';
import { toSarif } from './sarif';
import { parseSize } from './schema';

describe('policy file', () => {
  it('is the defaults when absent', () => {
    const loaded = loadPolicy(undefined);
    expect(loaded).toMatchObject({ kind: 'defaults', path: '.govc/policy.yaml', diagnostics: [] });
    expect(loaded.policy.rules.GV1001).toEqual({ severity: 'warning', mode: 'enforce' });
    expect(Object.keys(loaded.policy.rules)).toEqual(RULES.map((r) => r.id));
  });

  it('merges severities, modes and fields over the defaults', () => {
    const loaded = loadPolicy(
      [
        'version: 1',
        'mode: warn',
        'rules:',
        '  GV1001: error',
        '  GV1010: {severity: error, mode: enforce}',
        '  GV1064: off',
        'baseImages: {allowed: ["gcr.io/distroless/*"], requireDigest: true}',
        'packages: {prohibited: [telnet]}',
        'signing: {required: true, keys: [0123456789abcdef0123456789abcdef]}',
        'scanning: {required: true, vulnerabilities: {critical: 0, high: 3}}',
        'image: {maxSize: 500MB}',
      ].join('\n'),
    );
    expect(loaded.kind).toBe('file');
    expect(loaded.diagnostics).toEqual([]);
    const p = loaded.policy;
    expect(p.rules.GV1001).toEqual({ severity: 'error', mode: 'warn' });
    expect(p.rules.GV1010).toEqual({ severity: 'error', mode: 'enforce' });
    expect(p.rules.GV1064).toEqual({ severity: 'off', mode: 'warn' });
    expect(p.rules.GV1022).toEqual({ severity: 'error', mode: 'warn' });
    expect(p.image.maxSize).toBe(500_000_000);
    expect(p.scanning.vulnerabilities).toEqual({ critical: 0, high: 3, medium: null, low: null });
    const notes = Object.fromEntries(enforcement(p).map((n) => [n.field, n]));
    expect(notes.scanning).toMatchObject({ status: 'pending' });
    expect(notes.scanning!.note).toContain('Enforced once scanning exists');
    expect(p.signing).toEqual({ required: true, keys: ['0123456789abcdef0123456789abcdef'] });
    expect(notes['signing.required']).toMatchObject({ status: 'enforced' });
    expect(notes['signing.required']!.note).toContain('one of 1 listed keys');
    expect(notes.baseImages).toMatchObject({ status: 'enforced' });
  });

  it('reports schema errors at their YAML positions and falls back to the defaults', () => {
    const text = 'version: 1\nrules:\n  GV1001: loud\nbaseImages:\n  requireDigets: true\nimage:\n  maxSize: 12XB\n';
    const loaded = loadPolicy(text);
    expect(loaded.kind).toBe('invalid');
    expect(loaded.policy).toEqual(defaults());
    expect(loaded.diagnostics.map((d) => [d.range.start.line, d.range.start.column, d.message])).toEqual([
      [3, 3, 'rules.GV1001: expected a severity (error, warning, info, off) or { severity, mode }'],
      [5, 3, 'baseImages: unknown field requireDigets'],
      [7, 3, 'image.maxSize: "12XB" is not a size: write a number of bytes or e.g. 500MB, 1GiB'],
    ]);
  });

  it('refuses a trusted key that is neither a PEM public key nor a 32-hex key id, at its line', () => {
    const loaded = loadPolicy('version: 1\nsigning:\n  required: true\n  keys:\n    - 3f1c\n');
    expect(loaded.kind).toBe('invalid');
    expect(loaded.diagnostics.map((d) => [d.range.start.line, d.message])).toEqual([
      [5, 'signing.keys.0: expected a PEM public key (-----BEGIN PUBLIC KEY-----) or a key id of 32 hex digits'],
    ]);
  });

  it('reports YAML syntax errors, a wrong version, no document, and unknown rules', () => {
    expect(loadPolicy('version: [1\n').kind).toBe('invalid');
    expect(loadPolicy('version: 2\n').diagnostics[0]).toMatchObject({
      message: 'version: version must be 1',
      range: { start: { line: 1 } },
    });
    expect(loadPolicy('# nothing\n').diagnostics[0]!.message).toContain('empty');
    const unknown = loadPolicy('version: 1\nrules:\n  GV9999: off\n');
    expect(unknown.kind).toBe('file');
    expect(unknown.diagnostics).toMatchObject([
      {
        severity: 'warning',
        message: 'There is no rule GV9999; the setting has no effect',
        range: { start: { line: 3, column: 3 } },
      },
    ]);
  });

  it('parses sizes', () => {
    expect(parseSize('1GiB')).toBe(1024 ** 3);
    expect(parseSize('1.5 kb')).toBe(1500);
    expect(parseSize(42)).toBe(42);
    expect(parseSize('-1MB')).toBeUndefined();
  });
});

describe('image references', () => {
  it('normalises names and matches allow-list patterns', () => {
    const node = parseImageRef('node:20-alpine')!;
    expect(node).toEqual({ written: 'node:20-alpine', name: 'docker.io/library/node', tag: '20-alpine' });
    expect(parseImageRef('localhost:5000/app')).toEqual({ written: 'localhost:5000/app', name: 'localhost:5000/app' });
    expect(parseImageRef('${BASE}')).toBeUndefined();
    expect(imageMatches(node, 'node')).toBe(true);
    expect(imageMatches(node, 'docker.io/library/*')).toBe(true);
    expect(imageMatches(node, 'node:20*')).toBe(true);
    expect(imageMatches(node, 'node:18*')).toBe(false);
    expect(imageMatches(parseImageRef('gcr.io/distroless/static:nonroot')!, 'gcr.io/distroless/*')).toBe(true);
    expect(imageMatches(parseImageRef('gcr.io/a/b/c:1')!, 'gcr.io/*')).toBe(false);
    expect(imageMatches(parseImageRef('gcr.io/a/b/c:1')!, 'gcr.io/**')).toBe(true);
  });
});

describe('suppression comments', () => {
  const text = [
    '# govc-ignore-file GV1064 no health endpoint',
    '# govc-ignore GV1001 tracked upstream',
    'FROM node:latest',
    "RUN sudo make install # govc-ignore GV1030 the base image's make needs it",
    '# govc-ignore GV1020, GV1060',
    '# another comment between',
    'ADD app /app',
    'WORKDIR app',
    'USER 1000',
  ].join('\n');

  it('silences rules on the same line, the comment lines above, and the whole file', () => {
    const r = lintFile('Dockerfile', text, defaults(), 'dockerfile');
    expect(r.suppressed.map((f) => [f.ruleId, f.reason]).sort()).toEqual([
      ['GV1001', 'tracked upstream'],
      ['GV1020', null],
      ['GV1030', "the base image's make needs it"],
      ['GV1064', 'no health endpoint'],
    ]);
    // A comment covers the next instruction only: WORKDIR on line 8 is still reported.
    expect(r.findings.map((f) => f.ruleId)).toContain('GV1060');
  });

  it('works in YAML', () => {
    const compose =
      'services:\n  agent:\n    image: a/b:1\n    # govc-ignore GV2001 needs /dev/kvm\n    privileged: true\n';
    const r = lintFile('compose.yaml', compose, defaults(), 'compose');
    expect(r.findings).toEqual([]);
    expect(r.suppressed).toMatchObject([{ ruleId: 'GV2001', reason: 'needs /dev/kvm' }]);
  });
});

describe('lintDefinition', () => {
  it('detects the kind by name, then by content, and lints nothing else', () => {
    expect(lintDefinition('api/Dockerfile', 'FROM node\n', defaults()).map((f) => f.ruleId)).toContain('GV1002');
    expect(
      lintDefinition('compose.yaml', 'services:\n  a:\n    image: redis\n', defaults()).map((f) => f.ruleId),
    ).toEqual(['GV2004']);
    const manifest =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: "nginx:1.27"}\n';
    expect(lintDefinition('deploy/pod.yaml', manifest, defaults()).map((f) => f.ruleId)).toEqual(['GV3003', 'GV3004']);
    expect(lintDefinition('mkdocs.yml', 'site_name: x\n', defaults())).toEqual([]);
    expect(lintDefinition('README.md', 'FROM node\n', defaults())).toEqual([]);
  });

  it('applies off, severity and mode from the policy', () => {
    const policy = loadPolicy('version: 1\nrules:\n  GV1002: {severity: error, mode: warn}\n  GV1010: off\n').policy;
    const found = lintDefinition('Dockerfile', 'FROM node\n', policy);
    expect(found.find((f) => f.ruleId === 'GV1002')).toMatchObject({ severity: 'error', mode: 'warn' });
    expect(found.some((f) => f.ruleId === 'GV1010')).toBe(false);
  });

  it('survives a Dockerfile the frontend cannot parse', () => {
    expect(lintDefinition('Dockerfile', '\\', defaults())).toMatchObject([{ ruleId: 'GV0001', severity: 'error' }]);
  });
});

describe('checkBeforeBuild', () => {
  const dockerfile = { path: 'Dockerfile', content: 'FROM ubuntu:22.04\nUSER 1000\nCMD ["app"]\n' };

  it('passes a Dockerfile with no enforce-mode error', () => {
    const r = checkBeforeBuild(dockerfile, defaults());
    expect(r.blocked).toBe(false);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.blocking).toEqual([]);
  });

  it('blocks on an enforce-mode error, and not in warn mode', () => {
    const enforce = loadPolicy('version: 1\nbaseImages: {allowed: [alpine]}\nsigning: {required: true}\n');
    const r = checkBeforeBuild(dockerfile, enforce);
    expect(r.blocked).toBe(true);
    expect(r.blocking.map((f) => f.ruleId)).toEqual(['GV1004']);
    // Signing is checked when the image is pushed, not pending in the build.
    expect(r.pending).toEqual([]);
    expect(r.atPush).toEqual(['signing.required']);
    const warn = loadPolicy('version: 1\nmode: warn\nbaseImages: {allowed: [alpine]}\n');
    expect(checkBeforeBuild(dockerfile, warn.policy).blocked).toBe(false);
  });

  it('fails closed on an invalid policy file', () => {
    const r = checkBeforeBuild(dockerfile, loadPolicy('version: 1\nbaseImage: {allowed: [alpine]}\n'));
    expect(r.blocked).toBe(true);
    expect(r.policyDiagnostics[0]!.message).toContain('unknown field baseImage');
  });
});

describe('policyReport', () => {
  const files = (contents: Record<string, string>, types: Record<string, string>): PolicyFiles => ({
    readText: async (path) => contents[path],
    // As the definitions service lists them: a chart with every file it is made of.
    definitions: async () =>
      Object.entries(types).map(([path, type]) => ({
        path,
        type: type as 'dockerfile',
        files:
          type === 'helm' ? Object.keys(contents).filter((p) => p.startsWith(path.replace('Chart.yaml', ''))) : [path],
      })),
  });

  it('lints each definition, counts, and says what blocks a build', async () => {
    const report = await policyReport(
      files(
        {
          '.govc/policy.yaml': 'version: 1\nrules:\n  GV1002: error\n',
          'api/Dockerfile': 'FROM node\nUSER node\n',
          'compose.yaml': 'services:\n  db:\n    image: postgres\n',
          'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
          'chart/values.yaml': 'image:\n  repository: nginx\n  tag: latest\n',
          'chart/templates/deployment.yaml':
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
          'chart/templates/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
          'chart/templates/debug-pod.yaml':
            'apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers:\n    - name: sh\n      image: busybox:1.36\n      securityContext: {privileged: true}\n',
          'chart/templates/NOTES.txt': 'Installed.\n',
          'deploy/kustomization.yaml': 'resources: [../chart]\nimages:\n  - name: nginx\n    newTag: latest\n',
        },
        {
          'api/Dockerfile': 'dockerfile',
          'compose.yaml': 'compose',
          'chart/Chart.yaml': 'helm',
          'deploy/kustomization.yaml': 'kustomize',
        },
      ),
    );
    expect(report.loaded.kind).toBe('file');
    expect(report.definitions.map((d) => [d.path, d.type, d.findings.map((f) => f.ruleId)])).toEqual([
      ['api/Dockerfile', 'dockerfile', ['GV1064', 'GV1002']],
      ['chart/templates/debug-pod.yaml', 'helm', ['GV3003', 'GV3004', 'GV3001']],
      ['chart/templates/namespace.yaml', 'helm', []],
      ['chart/values.yaml', 'helm', ['GV4003']],
      ['compose.yaml', 'compose', ['GV2004']],
      ['deploy/kustomization.yaml', 'kustomize', ['GV4001']],
    ]);
    // A template with template syntax is not YAML until rendered: skipped, not mislinted.
    expect(report.skipped).toEqual([{ path: 'chart/templates/deployment.yaml', type: 'helm' }]);
    expect(report.counts).toEqual({ error: 1, warning: 6, info: 1 });
    expect(report.blocked).toBe(true);
    expect(report.blockedBy).toEqual([
      { path: 'api/Dockerfile', ruleId: 'GV1002', message: 'FROM node has no tag, which means latest; pin a version' },
    ]);
  });
});

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as Record<string, unknown>;
    // The schema is draft-04 (`id`); Ajv 8 reads it as `$id`. One pattern in it is invalid with the u flag.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const text = '# govc-ignore-file GV1064\nFROM node\nADD app /app\nCMD node app.js\n';
    const r = lintFile('svc/Dockerfile', text, defaults(), 'dockerfile');
    const sarif = toSarif(
      [{ path: 'svc/Dockerfile', findings: r.findings, suppressed: r.suppressed }],
      'file:///work/repo/',
    ) as {
      runs: Array<{ results: Array<{ ruleId: string; level: string; fixes?: unknown[]; suppressions?: unknown[] }> }>;
    };
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0]!.results;
    expect(results.find((x) => x.ruleId === 'GV1020')!.fixes).toHaveLength(1);
    expect(results.find((x) => x.ruleId === 'GV1064')!.suppressions).toEqual([{ kind: 'inSource' }]);
    expect(results.find((x) => x.ruleId === 'GV1003')).toBeUndefined();
    expect(results.find((x) => x.ruleId === 'GV1002')!.level).toBe('warning');
  });
});
