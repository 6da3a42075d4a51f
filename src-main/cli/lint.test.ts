/**
 * `govc lint` as CI runs it: the real command in a child process over files on disk, its exit codes
 * (0 clean or warnings only, 1 an error remains, 2 usage errors) and its text, JSON and SARIF output.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, 'govc.ts');
// The files are linted from a temporary folder, where `--import tsx` would not resolve: name it by URL.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let dir: string;

function govc(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, ['--import', tsx, cli, 'lint', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GOVC_LOG_LEVEL: 'warn' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'govc-lint-'));
  write(
    'clean/Dockerfile',
    'FROM alpine:3.20@sha256:' + 'a'.repeat(64) + '\nUSER 1000\nHEALTHCHECK CMD true\nCMD ["true"]\n',
  );
  write('warn/Dockerfile', 'FROM node\nUSER node\nCMD node app.js\n');
  write('error/api.Dockerfile', 'FROM alpine:3.20\nENV KEY=AKIAIOSFODNN7EXAMPLE\nUSER 1\n');
  write('error/compose.yaml', 'services:\n  web:\n    image: nginx\n    privileged: true\n');
  write(
    'error/k8s/pod.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: "nginx:latest"}\n',
  );
  write('error/notes.yaml', 'title: not a manifest\n');
  write('policy/strict.yaml', 'version: 1\nrules:\n  GV1002: error\n');
  write('policy/broken.yaml', 'version: 1\nrulez: {}\n');
  write('repo/.git/HEAD', 'ref: refs/heads/main\n');
  write('repo/.govc/policy.yaml', 'version: 1\nrules:\n  GV1061: off\n  GV1002: error\n');
  write('repo/app/Dockerfile', 'FROM node\nUSER node\nCMD node app.js\n');
}, 30_000);

describe('govc lint', () => {
  it('exits 0 on a clean file and on warnings only', () => {
    const clean = govc(['clean']);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toContain('1 file checked: 0 errors, 0 warnings, 0 info');
    const warn = govc(['warn/Dockerfile']);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toMatch(/^warn\/Dockerfile:1:6: warning GV1002 FROM node has no tag/m);
    expect(warn.stdout).toContain(
      'warn/Dockerfile:3:1: warning GV1061 CMD uses the shell form; use the JSON form so signals reach the process (fixable)',
    );
  });

  it('exits 1 when an error-level finding remains, and finds definitions by name and content', () => {
    const r = govc(['error']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error/api.Dockerfile:2:9: error GV1071');
    expect(r.stdout).toContain('error/compose.yaml:4:5: warning GV2001');
    expect(r.stdout).toContain('error/k8s/pod.yaml:6:17: warning GV3005');
    expect(r.stdout).not.toContain('notes.yaml');
    expect(r.stdout).toContain('3 files checked: 1 error');
  });

  it('raises severities with --policy, and finds .govc/policy.yaml up to the repository root', () => {
    expect(govc(['--policy', 'policy/strict.yaml', 'warn']).code).toBe(1);
    const r = govc(['app'], join(dir, 'repo'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error GV1002');
    expect(r.stdout).not.toContain('GV1061');
  });

  it('lints Helm values, template-free templates and kustomizations, and skips templates with template syntax', () => {
    write('helm/chart/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
    write('helm/chart/values.yaml', 'image:\n  repository: nginx\n  tag: latest\n');
    write(
      'helm/chart/templates/deployment.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
    );
    write(
      'helm/chart/templates/debug.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers:\n    - {name: c, image: "busybox:1.36", securityContext: {privileged: true}}\n',
    );
    write('helm/overlay/kustomization.yaml', 'resources: [../chart]\nimages:\n  - name: nginx\n    newTag: latest\n');
    const r = govc(['helm']);
    expect(r.stdout).toContain(
      'helm/chart/values.yaml:3:3: warning GV4003 image: image nginx:latest uses the latest tag',
    );
    expect(r.stdout).toContain('helm/chart/templates/debug.yaml:6:');
    expect(r.stdout).toContain('warning GV3001');
    expect(r.stdout).toContain('helm/overlay/kustomization.yaml:4:5: warning GV4001');
    expect(r.stdout).not.toContain('deployment.yaml');
    expect(r.stdout).toContain('3 files checked');
    const explicit = govc(['helm/chart/templates/deployment.yaml']);
    expect(explicit.stderr).toContain('is a Helm template with template syntax; skipped');
  });

  it('writes JSON', () => {
    const r = govc(['--format', 'json', 'warn', 'error/compose.yaml']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      policy: { kind: string };
      files: Array<{ path: string; type: string; findings: Array<{ ruleId: string }> }>;
      counts: object;
    };
    expect(report.policy.kind).toBe('defaults');
    expect(report.files.map((f) => [f.path, f.type])).toEqual([
      ['warn/Dockerfile', 'dockerfile'],
      ['error/compose.yaml', 'compose'],
    ]);
    expect(report.files[1]!.findings.map((f) => f.ruleId)).toEqual(['GV2004', 'GV2001']);
    expect(report.counts).toEqual({ error: 0, warning: 4, info: 1 });
  });

  it('writes SARIF 2.1.0', () => {
    const r = govc(['--format', 'sarif', 'error']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: Array<{
        tool: { driver: { name: string; rules: unknown[] } };
        results: Array<{
          ruleId: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
        }>;
      }>;
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.tool.driver.name).toBe('govc');
    const result = sarif.runs[0]!.results.find((x) => x.ruleId === 'GV1071')!;
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe('error/api.Dockerfile');
  });

  it('exits 2 on usage errors', () => {
    expect(govc(['--format', 'xml']).code).toBe(2);
    expect(govc(['--bogus']).code).toBe(2);
    expect(govc(['does/not/exist']).code).toBe(2);
    const broken = govc(['--policy', 'policy/broken.yaml', 'warn']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('policy/broken.yaml:2:1: error unknown field rulez');
  });
});

describe('govc lint --fix', () => {
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');

  it("applies the rules' safe fixes, prints them, exits by what remains, and is idempotent", () => {
    write(
      'fix/Dockerfile',
      [
        'FROM debian:12',
        'RUN apt-get update && apt-get install curl',
        'ADD app.txt /app.txt',
        'RUN pip install flask==3.0.0',
        'CMD node server.js',
        'USER 1000',
        '',
      ].join('\n'),
    );
    write('fix/app.txt', 'hi\n');
    const r = govc(['--fix', 'fix']);
    expect(read('fix/Dockerfile')).toBe(
      [
        'FROM debian:12',
        'RUN apt-get update && apt-get install --no-install-recommends -y curl',
        'COPY app.txt /app.txt',
        'RUN pip install --no-cache-dir flask==3.0.0',
        'CMD ["node", "server.js"]',
        'USER 1000',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toContain('fix/Dockerfile:3:1: fixed GV1020');
    expect(r.stdout).toContain('fix/Dockerfile:5:1: fixed GV1061 Rewrite in JSON form');
    expect(r.stdout).toMatch(/^5 fixes applied in 1 file$/m);
    // What no fix covers is still reported (apt lists left behind); warnings only, so exit 0.
    expect(r.stdout).toContain('warning GV1042');
    expect(r.stdout).not.toContain('(fixable)');
    expect(r.code).toBe(0);

    const again = govc(['--fix', 'fix']);
    expect(again.stdout).toMatch(/^0 fixes applied in 0 files$/m);
    expect(read('fix/Dockerfile')).toContain('COPY app.txt /app.txt');
  });

  it('exits 1 when an error no fix covers remains, leaves suppressed findings and CRLF line ends alone', () => {
    write(
      'fix-error/Dockerfile',
      'FROM alpine:3.20\r\n# govc-ignore GV1020 the archive must stay packed\r\nADD app.txt /app.txt\r\nRUN apk add curl\r\nENV KEY=AKIAIOSFODNN7EXAMPLE\r\nUSER 1\r\n',
    );
    const r = govc(['--fix', 'fix-error/Dockerfile']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error GV1071');
    expect(read('fix-error/Dockerfile')).toBe(
      'FROM alpine:3.20\r\n# govc-ignore GV1020 the archive must stay packed\r\nADD app.txt /app.txt\r\nRUN apk add --no-cache curl\r\nENV KEY=AKIAIOSFODNN7EXAMPLE\r\nUSER 1\r\n',
    );
  });

  it('keeps stdout JSON with --format json: the fixes are listed in it and told on stderr', () => {
    write('fix-json/Dockerfile', 'FROM alpine:3.20\nRUN apk add curl\nUSER 1\n');
    const r = govc(['--fix', '--format', 'json', 'fix-json']);
    const report = JSON.parse(r.stdout) as { fixed: Array<{ path: string; ruleId: string; line: number }> };
    expect(report.fixed).toEqual([
      {
        path: 'fix-json/Dockerfile',
        ruleId: 'GV1044',
        line: 2,
        column: expect.any(Number),
        description: expect.any(String),
      },
    ]);
    expect(r.stderr).toContain('fix-json/Dockerfile:2:');
    expect(read('fix-json/Dockerfile')).toBe('FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER 1\n');
  });
});
