import { describe, expect, it } from 'vitest';
import { MAX_DEFINITION_BYTES } from '../../../src-shared/contract/definitions';
import { analyzeBytes, analyzeYamlBytes } from './analyze';
import { classifyName, isChartPart, kubernetesContent, owningChart } from './detect';

describe('classifyName', () => {
  it.each([
    ['Dockerfile', 'dockerfile'],
    ['app/Dockerfile.dev', 'dockerfile'],
    ['svc/api.Dockerfile', 'dockerfile'],
    ['svc/api.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['build/Containerfile.fedora', 'dockerfile'],
    ['compose.yaml', 'compose'],
    ['compose.yml', 'compose'],
    ['docker-compose.yaml', 'compose'],
    ['deploy/docker-compose.override.yml', 'compose'],
    ['compose.prod.yaml', 'compose'],
    ['kustomization.yaml', 'kustomize'],
    ['overlays/prod/kustomization.yml', 'kustomize'],
    ['Kustomization', 'kustomize'],
    ['charts/web/Chart.yaml', 'chart'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['k8s/app.YAML', 'yaml'],
  ] as const)('%s → %s', (path, cls) => expect(classifyName(path)).toBe(cls));

  it.each([
    'Dockerfile.dockerignore',
    'README.md',
    'docs/compose.md',
    'mydockerfile.txt',
    'composer.json',
    'Chart.lock',
  ])('%s is nothing', (path) => expect(classifyName(path)).toBeNull());
});

describe('charts', () => {
  const charts = new Set(['charts/web', 'charts/web/charts/redis', '']);

  it('owns values files at its root and everything under templates/', () => {
    expect(isChartPart('charts/web/values.yaml', 'charts/web')).toBe(true);
    expect(isChartPart('charts/web/values-prod.yaml', 'charts/web')).toBe(true);
    expect(isChartPart('charts/web/templates/deploy.yaml', 'charts/web')).toBe(true);
    expect(isChartPart('charts/web/templates/sub/x.yaml', 'charts/web')).toBe(true);
    expect(isChartPart('charts/web/crds/crd.yaml', 'charts/web')).toBe(false);
    expect(isChartPart('charts/web/config/values.yaml', 'charts/web')).toBe(false);
  });

  it('gives a file to its nearest chart only', () => {
    expect(owningChart('charts/web/templates/a.yaml', charts)).toBe('charts/web');
    expect(owningChart('charts/web/charts/redis/values.yaml', charts)).toBe('charts/web/charts/redis');
    expect(owningChart('charts/web/charts/redis/README.md', charts)).toBeUndefined();
    expect(owningChart('templates/root.yaml', charts)).toBe('');
    expect(owningChart('other/templates/x.yaml', charts)).toBeUndefined();
  });
});

describe('Kubernetes by content', () => {
  it('needs a document that is a mapping with apiVersion and kind', () => {
    expect(kubernetesContent('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n')).toBeDefined();
    expect(kubernetesContent('kind: settings\nlevel: 1\n')).toBeUndefined();
    expect(kubernetesContent('jobs:\n  x:\n    with:\n      apiVersion: v1\n      kind: Pod\n')).toBeUndefined();
    expect(kubernetesContent('---\n# only a comment\n---\napiVersion: v1\nkind: Secret\n')).toBeDefined();
  });

  it('keeps a manifest with YAML errors, to show them', () => {
    const y = kubernetesContent('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "open\n');
    expect(y?.diagnostics[0]?.rule).toMatch(/^yaml\//);
  });
});

describe('bad bytes', () => {
  it('reports a file over the limit instead of parsing it', () => {
    const big = Buffer.alloc(MAX_DEFINITION_BYTES + 1, 'a');
    const a = analyzeBytes('dockerfile', big);
    expect(a.diagnostics).toEqual([expect.objectContaining({ severity: 'error', rule: 'govc/too-large' })]);
    expect(analyzeYamlBytes(big)).toBeUndefined();
  });

  it('reports binary content and never throws on garbage', () => {
    expect(analyzeBytes('compose', Buffer.from([0x73, 0, 0xff])).diagnostics[0]?.rule).toBe('govc/binary');
    for (const text of ['', '\uFEFF', ':', '- - -', '{{{', 'FROM', '\t\t', 'services: [', '%YAML 9\n---\n']) {
      for (const type of ['dockerfile', 'compose', 'kubernetes', 'kustomize'] as const) {
        expect(() => analyzeBytes(type, Buffer.from(text))).not.toThrow();
      }
    }
  });
});
