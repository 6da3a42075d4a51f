/**
 * The index against the real repository service: first load, then every kind of change (work-tree
 * writes, commits, checkouts, charts appearing and going) reported once, at a cost that follows the change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as branches from '../git/branches';
import type { Repo } from '../git/repo';
import { ACTOR, AUTHOR, scratch, type Scratch } from '../git/testkit';
import { AnalysisCache } from './cache';
import { DefinitionIndex, type DefinitionChange } from './definition-index';
import { RepoSource } from './repo-source';

let s: Scratch;
let repo: Repo;
beforeEach(async () => {
  s = scratch('govc-defs-');
  repo = await s.service.create({ id: 'shop' }, 'tester');
});
afterEach(async () => {
  await s.cleanup();
});

const write = (path: string, text: string) => repo.writeFile(path, Buffer.from(text, 'utf8'));
const commit = (message: string) => repo.commit({ message, author: AUTHOR, all: true }, ACTOR);
const summary = (changes: DefinitionChange[]) =>
  changes.map((c) => `${c.kind} ${c.kind === 'removed' ? c.path : c.definition.path}`).sort();

/** The repository source, counting blob reads: the cost of a sync. */
class CountingSource extends RepoSource {
  reads = 0;
  override async readBlob(oid: string): Promise<Uint8Array> {
    this.reads += 1;
    return super.readBlob(oid);
  }
}

async function loaded(): Promise<{ index: DefinitionIndex; source: CountingSource }> {
  const source = new CountingSource(repo);
  const index = new DefinitionIndex(source, new AnalysisCache());
  expect(await index.sync()).toEqual([]);
  return { index, source };
}

describe('the definitions index', () => {
  it('loads committed and uncommitted definitions, then reports each change once', async () => {
    await write('Dockerfile', 'FROM alpine\n');
    await write('compose.yaml', 'services:\n  app:\n    build: .\n');
    await write('.github/workflows/ci.yml', 'on: push\njobs: {}\n');
    await commit('start');
    await write('k8s/app.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    const { index } = await loaded();
    expect(index.list().map((d) => `${d.type} ${d.path}`)).toEqual([
      'dockerfile Dockerfile',
      'compose compose.yaml',
      'kubernetes k8s/app.yaml',
    ]);
    expect(index.list('kubernetes')).toHaveLength(1);

    await write('compose.yaml', 'services:\n  app:\n    image: acme/app\n');
    await write('api/Dockerfile', 'FROM golang\n');
    await repo.deleteFile('k8s/app.yaml');
    expect(summary(await index.sync())).toEqual([
      'added api/Dockerfile',
      'changed compose.yaml',
      'removed k8s/app.yaml',
    ]);
    expect(await index.sync()).toEqual([]);

    // Committing what the work tree already shows changes nothing that is listed.
    await commit('more');
    expect(await index.sync()).toEqual([]);
    // Writing the same bytes again is no change either.
    await write('Dockerfile', 'FROM alpine\n');
    expect(await index.sync()).toEqual([]);
  });

  it('follows checkouts between branches with different definitions', async () => {
    await write('Dockerfile', 'FROM alpine\n');
    await commit('main');
    await branches.checkout(repo, { branch: 'feature', create: true }, ACTOR);
    await write('Dockerfile', 'FROM debian\n');
    await write('compose.yaml', 'services: {}\n');
    await commit('feature');
    const { index } = await loaded();
    expect(index.list()).toHaveLength(2);
    await branches.checkout(repo, { branch: 'main', create: false }, ACTOR);
    expect(summary(await index.sync())).toEqual(['changed Dockerfile', 'removed compose.yaml']);
    const dockerfile = index.get('Dockerfile');
    expect(dockerfile?.type === 'dockerfile' && dockerfile.summary.stages[0]?.image).toBe('alpine');
  });

  it('turns templates into part of a chart when Chart.yaml appears, and back when it goes', async () => {
    const manifest = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';
    await write('web/templates/svc.yaml', manifest);
    await write('web/values.yaml', 'image:\n  repository: acme/web\n  tag: "1"\n');
    const { index } = await loaded();
    expect(index.list().map((d) => d.path)).toEqual(['web/templates/svc.yaml']);

    await write('web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
    expect(summary(await index.sync())).toEqual(['added web/Chart.yaml', 'removed web/templates/svc.yaml']);
    const chart = index.get('web/Chart.yaml');
    expect(chart?.type === 'helm' && chart.summary.images.map((i) => i.image)).toEqual(['acme/web:1']);

    await write('web/templates/deploy.yaml', manifest.replace('Service', 'Deployment'));
    expect(summary(await index.sync())).toEqual(['changed web/Chart.yaml']);
    await write('web/values.yaml', 'image:\n  repository: acme/web\n  tag: "2"\n');
    expect(summary(await index.sync())).toEqual(['changed web/Chart.yaml']);

    await repo.deleteFile('web/Chart.yaml');
    expect(summary(await index.sync())).toEqual([
      'added web/templates/deploy.yaml',
      'added web/templates/svc.yaml',
      'removed web/Chart.yaml',
    ]);
  });

  it('judges files a kustomization names as patches as partial objects, as the kustomization changes', async () => {
    await write(
      'prod/replicas.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n',
    );
    const { index } = await loaded();
    expect(index.get('prod/replicas.yaml')?.errors).toBe(1); // a whole Deployment needs a pod spec

    await write('prod/kustomization.yaml', 'resources:\n  - ../base\npatches:\n  - path: replicas.yaml\n');
    expect(summary(await index.sync())).toEqual(['added prod/kustomization.yaml', 'changed prod/replicas.yaml']);
    expect(index.get('prod/replicas.yaml')?.errors).toBe(0);

    await write('prod/kustomization.yaml', 'resources:\n  - ../base\n');
    expect(summary(await index.sync())).toEqual(['changed prod/kustomization.yaml', 'changed prod/replicas.yaml']);
    expect(index.get('prod/replicas.yaml')?.errors).toBe(1);
  });

  it('costs reads in proportion to the change, not to the repository', async () => {
    for (let i = 0; i < 300; i++) await write(`src/file${i}.yaml`, `key: ${i}\n`);
    for (let i = 0; i < 20; i++) await write(`svc${i}/Dockerfile`, `FROM alpine:${i}\n`);
    await commit('many');
    const { index, source } = await loaded();
    expect(index.list()).toHaveLength(20);
    source.reads = 0;
    await write('svc3/Dockerfile', 'FROM alpine:new\n');
    await write('src/file7.yaml', 'key: changed\n');
    await commit('two files');
    expect(summary(await index.sync())).toEqual(['changed svc3/Dockerfile']);
    expect(source.reads).toBe(2);
  });

  it('keeps going when a definition is malformed', async () => {
    await write('compose.yaml', 'services:\n  web: [\n');
    await write('Dockerfile', Buffer.from([0x46, 0, 0x52]).toString('latin1'));
    const { index } = await loaded();
    expect(index.list().map((d) => [d.path, d.errors > 0])).toEqual([
      ['Dockerfile', true],
      ['compose.yaml', true],
    ]);
  });
});
