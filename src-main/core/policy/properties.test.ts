/**
 * Property tests: no rule throws, whatever the input. Random text, valid Dockerfiles from the corpus
 * mutated (lines dropped, duplicated, swapped, cut, characters inserted), Dockerfile-shaped noise, and
 * random YAML values as Compose files and Kubernetes manifests. Findings must also stay well-formed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src-shared/contract/policy';
import { lintFile } from './lint';
import { defaults, loadPolicy } from './load';
import { ruleById } from './rules';
import { splitLines } from './text';
import type { LintKind } from './types';

const corpus = readdirSync(join(import.meta.dirname, 'testdata', 'corpus')).map((name) =>
  readFileSync(join(import.meta.dirname, 'testdata', 'corpus', name, 'Dockerfile'), 'utf8'),
);
const strict = loadPolicy(
  'version: 1\nbaseImages: {allowed: ["gcr.io/**", "node"], requireDigest: true}\npackages: {prohibited: ["curl", "pip:*"]}\n',
).policy;

function wellFormed(text: string, findings: Finding[]): void {
  const lines = splitLines(text).length;
  for (const f of findings) {
    // A placeholder of the rule's template left unfilled; the same braces quoted from the input are fine.
    for (const [placeholder] of ruleById(f.ruleId)!.message.matchAll(/\{\w+\}/g)) {
      if (!text.includes(placeholder)) expect(f.message).not.toContain(placeholder);
    }
    expect(f.range.start.line).toBeGreaterThanOrEqual(1);
    expect(f.range.start.line).toBeLessThanOrEqual(Math.max(lines, 1) + 1);
    expect(f.range.end.line).toBeGreaterThanOrEqual(f.range.start.line);
  }
}

function lintAll(text: string, kinds: LintKind[]): void {
  for (const kind of kinds) {
    for (const policy of [defaults(), strict]) {
      const r = lintFile('x', text, policy, kind);
      wellFormed(text, [...r.findings, ...r.suppressed]);
    }
  }
}

const KEYWORDS = [
  'FROM',
  'RUN',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'LABEL',
  'USER',
  'WORKDIR',
  'EXPOSE',
  'CMD',
  'ENTRYPOINT',
  'HEALTHCHECK',
  'ONBUILD',
  'SHELL',
  'VOLUME',
  '#',
  '# govc-ignore GV1001',
  '\\',
];
const WORDS = [
  'apt-get',
  'install',
  '-y',
  'apk',
  'add',
  'pip',
  'npm',
  'i',
  'sudo',
  'curl',
  '|',
  'sh',
  '&&',
  ';',
  '"',
  "'",
  '$(',
  ')',
  '--from=0',
  'node:latest',
  '<<EOF',
  'EOF',
  'AKIAIOSFODNN7EXAMPLE',
  '80:80',
  '--mount=type=cache,target=/var/lib/apt',
  '[',
  ']',
  '"a"',
  '=',
  'PASSWORD=x',
  '-----BEGIN PRIVATE KEY-----',
  '\t',
  '${X:-y}',
];

const dockerfileish = fc
  .array(
    fc.tuple(
      fc.constantFrom(...KEYWORDS),
      fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 8 })), { maxLength: 8 }),
    ),
    { maxLength: 15 },
  )
  .map((lines) => lines.map(([k, ws]) => [k, ...ws].join(' ')).join('\n'));

const mutated = fc
  .tuple(
    fc.constantFrom(...corpus),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('drop', 'dup', 'swap', 'cut', 'insert')), { maxLength: 6 }),
    fc.string({ maxLength: 6 }),
  )
  .map(([text, ops, noise]) => {
    const lines = text.split('\n');
    for (const [a, b, op] of ops) {
      const i = a % Math.max(lines.length, 1);
      const j = b % Math.max(lines.length, 1);
      if (op === 'drop') lines.splice(i, 1);
      else if (op === 'dup') lines.splice(i, 0, lines[i] ?? '');
      else if (op === 'swap') [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      else if (op === 'cut') lines[i] = (lines[i] ?? '').slice(0, b % 20);
      else lines[i] = (lines[i] ?? '').slice(0, b % 30) + noise + (lines[i] ?? '').slice(b % 30);
    }
    return lines.join('\n');
  });

const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 10 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('host', 'latest', 'nginx', 'true', 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'services',
        'image',
        'privileged',
        'network_mode',
        'pid',
        'environment',
        'build',
        'apiVersion',
        'kind',
        'spec',
        'template',
        'containers',
        'initContainers',
        'securityContext',
        'resources',
        'limits',
        'hostNetwork',
        'runAsUser',
        'runAsNonRoot',
        'items',
        'metadata',
        'name',
        'newName',
        'newTag',
        'digest',
        'repository',
        'registry',
        'tag',
        'x',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

const k8sShaped = fc
  .tuple(fc.constantFrom('Deployment', 'Pod', 'CronJob', 'List', 'StatefulSet', 'Service'), yamlValue)
  .map(([kind, spec]) => stringify({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec, items: [spec] }));

describe('no rule throws', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => lintAll(text, ['dockerfile', 'compose', 'kubernetes'])),
      { numRuns: 300 },
    );
  });

  it('on Dockerfile-shaped noise', () => {
    fc.assert(
      fc.property(dockerfileish, (text) => lintAll(text, ['dockerfile'])),
      { numRuns: 400 },
    );
  });

  it('on mutated corpus Dockerfiles', () => {
    fc.assert(
      fc.property(mutated, (text) => lintAll(text, ['dockerfile'])),
      { numRuns: 400 },
    );
  });

  it('on random YAML as Compose, Kubernetes, kustomizations and Helm values', () => {
    fc.assert(
      fc.property(yamlValue, (value) => lintAll(stringify({ services: value }), ['compose', 'kubernetes'])),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(yamlValue, (value) =>
        lintAll(stringify({ images: value, image: value }), ['kustomize', 'helm-values']),
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => lintAll(text, ['kustomize', 'helm-values'])),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(k8sShaped, (text) => lintAll(text, ['kubernetes', 'compose'])),
      { numRuns: 300 },
    );
  });

  it('on random policy files', () => {
    fc.assert(
      fc.property(yamlValue, (value) => {
        const loaded = loadPolicy(
          stringify({
            version: 1,
            ...(typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { rules: value }),
          }),
        );
        expect(['file', 'invalid']).toContain(loaded.kind);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => void loadPolicy(text)),
      { numRuns: 200 },
    );
  });
});
