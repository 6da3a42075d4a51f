import { describe, expect, it } from 'vitest';
import type { Definition, DefinitionEdge } from '../bridge';
import { createDefinitionsStore, describeEdge, groupByKind, summaryOf } from './definitions';
import { EngineRefusal, fakeEngine } from './fake-engine.test-kit';

const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
const common = (path: string, errors = 0, warnings = 0) => ({
  path,
  oid: 'abc',
  size: 10,
  files: [path],
  diagnostics: [],
  errors,
  warnings,
});

const dockerfile = (path: string, stages: number, ports: string[] = [], user: string | null = null): Definition => ({
  type: 'dockerfile',
  ...common(path, 1, 2),
  summary: {
    stages: Array.from({ length: stages }, (_, index) => ({
      index,
      name: null,
      image: 'node:20',
      baseStage: null,
      platform: null,
      range,
    })),
    args: [],
    ports: ports.map((port) => ({ port, protocol: 'tcp', stage: stages - 1, range })),
    cmd: null,
    entrypoint: null,
    user: user ? { value: user, range } : null,
    copies: [],
  },
});

const compose = (path: string, services: string[]): Definition => ({
  type: 'compose',
  ...common(path),
  summary: {
    name: null,
    services: services.map((name) => ({
      name,
      image: null,
      build: { context: '.', dockerfile: 'Dockerfile', target: null },
      ports: [],
      depends_on: [],
      volumes: [],
      env_files: [],
      range,
    })),
    volumes: [],
    networks: [],
  },
});

const kubernetes = (path: string, objects: [string, string][]): Definition => ({
  type: 'kubernetes',
  ...common(path),
  summary: {
    objects: objects.map(([kind, name], document) => ({
      apiVersion: 'v1',
      kind,
      name,
      namespace: null,
      document,
      containers: [],
      range,
    })),
  },
});

const helm = (path: string, name: string, version: string): Definition => ({
  type: 'helm',
  ...common(path),
  summary: {
    apiVersion: 'v2',
    name,
    version,
    appVersion: null,
    description: null,
    chartType: null,
    dependencies: [],
    values: [],
    templates: [],
    images: [],
  },
});

const buildsEdge: DefinitionEdge = {
  kind: 'builds',
  from: { path: 'compose.yaml', type: 'compose', name: 'web' },
  dockerfile: 'app/Dockerfile',
  image: null,
  file: 'compose.yaml',
  range,
};

describe('definition summaries', () => {
  it('says what tells each kind apart in one line', () => {
    expect(summaryOf(dockerfile('app/Dockerfile', 2, ['8080', '8080']))).toBe('2 stages, :8080');
    expect(summaryOf(dockerfile('Dockerfile', 1, [], 'app'))).toBe('1 stage, user app');
    expect(summaryOf(compose('compose.yaml', ['web', 'db', 'cache']))).toBe('3 services');
    expect(
      summaryOf(
        kubernetes('k8s.yaml', [
          ['Deployment', 'web'],
          ['Service', 'web'],
        ]),
      ),
    ).toBe('Deployment web, Service web');
    const many = kubernetes('all.yaml', [
      ['Deployment', 'a'],
      ['Service', 'a'],
      ['ConfigMap', 'a'],
      ['Secret', 'a'],
      ['Ingress', 'a'],
    ]);
    expect(summaryOf(many)).toBe('Deployment a, Service a, ConfigMap a +2 more');
    expect(summaryOf(helm('chart/Chart.yaml', 'web', '1.2.0'))).toBe('chart web 1.2.0');
  });

  it('groups by kind in the engine order, leaving out empty kinds, paths sorted', () => {
    const groups = groupByKind([
      helm('chart/Chart.yaml', 'web', '1.0.0'),
      dockerfile('z/Dockerfile', 1),
      compose('compose.yaml', ['web']),
      dockerfile('app/Dockerfile', 2),
    ]);
    expect(groups.map((g) => [g.kind, g.definitions.map((d) => d.path)])).toEqual([
      ['dockerfile', ['app/Dockerfile', 'z/Dockerfile']],
      ['compose', ['compose.yaml']],
      ['helm', ['chart/Chart.yaml']],
    ]);
  });

  it('describes relations in words', () => {
    expect(describeEdge(buildsEdge)).toBe('compose.yaml web builds app/Dockerfile');
    const uses: DefinitionEdge = {
      ...buildsEdge,
      kind: 'uses',
      from: { path: 'k8s.yaml', type: 'kubernetes', name: 'Deployment/web' },
      dockerfile: null,
      image: 'nginx:1.27',
    };
    expect(describeEdge(uses)).toBe('k8s.yaml Deployment/web uses nginx:1.27');
  });
});

describe('definitions store', () => {
  function engine() {
    let definitions: Definition[] = [dockerfile('app/Dockerfile', 2, ['8080'])];
    const fake = fakeEngine({
      'definitions.list': () => ({ definitions, count: definitions.length }),
      'definitions.graph': () => ({ edges: definitions.length > 1 ? [buildsEdge] : [], count: 0 }),
    });
    return { fake, set: (next: Definition[]) => (definitions = next) };
  }

  it('loads the definitions and relations of the repository', async () => {
    const { fake } = engine();
    const store = createDefinitionsStore(fake.link);
    await store.getState().load('demo');
    expect(store.getState().definitions.map((d) => d.path)).toEqual(['app/Dockerfile']);
    expect(store.getState().edges).toEqual([]);
    expect(fake.calls.map((c) => [c.name, c.input.repo])).toEqual([
      ['definitions.list', 'demo'],
      ['definitions.graph', 'demo'],
    ]);
  });

  it('follows definition events of its repository and ignores other repositories', async () => {
    const { fake, set } = engine();
    const store = createDefinitionsStore(fake.link);
    const stop = store.getState().attach();
    await store.getState().load('demo');

    const added = compose('compose.yaml', ['web']);
    set([dockerfile('app/Dockerfile', 2, ['8080']), added]);
    fake.emit('definition.added', { definition: added }, 'demo');
    expect(store.getState().definitions.map((d) => d.path)).toContain('compose.yaml');
    await expect.poll(() => store.getState().edges.length).toBe(1);

    fake.emit('definition.removed', { path: 'compose.yaml', type: 'compose' }, 'other');
    expect(store.getState().definitions).toHaveLength(2);

    set([dockerfile('app/Dockerfile', 2, ['8080'])]);
    fake.emit('definition.removed', { path: 'compose.yaml', type: 'compose' }, 'demo');
    expect(store.getState().definitions.map((d) => d.path)).toEqual(['app/Dockerfile']);
    await expect.poll(() => store.getState().edges.length).toBe(0);
    stop();
  });

  it('says when the engine refuses, and clears on no repository', async () => {
    const fake = fakeEngine({
      'definitions.list': () => {
        throw new EngineRefusal('NOT_FOUND', 'No repository named gone');
      },
      'definitions.graph': () => ({ edges: [], count: 0 }),
    });
    const store = createDefinitionsStore(fake.link);
    await store.getState().load('gone');
    expect(store.getState().problem).toMatch(/Could not read the definitions of gone: .*No repository named gone/);
    await store.getState().load(null);
    expect(store.getState()).toMatchObject({ repo: null, definitions: [], problem: undefined });
  });
});
