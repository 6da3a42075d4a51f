import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DEFINITION_BYTES, type AnyEngineEvent } from '../../../src-shared/contract';
import type { GovcError } from '../../../src-shared/errors';
import { EventBus } from '../events/bus';
import { RepoService } from '../git/service';
import { ACTOR, scratch, type Scratch } from '../git/testkit';
import { repoSources } from './repo-source';
import { DefinitionService } from './service';

let s: Scratch;
let defs: DefinitionService;
beforeEach(async () => {
  s = scratch('govc-defsvc-');
  defs = new DefinitionService({ bus: s.bus, repos: repoSources(s.service) });
  await s.service.create({ id: 'r' }, 'tester');
});
afterEach(async () => {
  defs.close();
  await s.cleanup();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (err) {
    return (err as GovcError).code;
  }
}

describe('the definitions service', () => {
  it('refuses content over the limit before writing anything', async () => {
    const content = `FROM a\n${'#'.repeat(MAX_DEFINITION_BYTES)}`;
    expect(await codeOf(defs.create('r', { path: 'Dockerfile', content }, ACTOR))).toBe('DEFINITION_TOO_LARGE');
    expect((await s.service.get('r')).wt.clean).toBe(true);
  });

  it('edits a chart through any of its files and deletes all of them', async () => {
    await defs.create('r', { path: 'web/Chart.yaml', content: 'apiVersion: v2\nname: web\nversion: 1.0.0\n' }, ACTOR);
    const values = await defs.create(
      'r',
      { path: 'web/values.yaml', content: 'image: nginx:1\n', type: 'helm' },
      ACTOR,
    );
    expect(values.definition).toMatchObject({
      path: 'web/Chart.yaml',
      type: 'helm',
      files: ['web/Chart.yaml', 'web/values.yaml'],
    });
    const template = await defs.create('r', { path: 'web/templates/svc.yaml', content: 'kind: Service\n' }, ACTOR);
    expect(template.definition.files).toContain('web/templates/svc.yaml');
    const updated = await defs.update('r', { path: 'web/values.yaml', content: 'image: nginx:2\n' }, ACTOR);
    expect(updated.definition.type === 'helm' && updated.definition.summary.images[0]?.image).toBe('nginx:2');

    const removed = await defs.remove('r', { path: 'web/Chart.yaml', message: 'Drop the chart' }, ACTOR);
    expect(removed.deleted).toEqual(['web/Chart.yaml', 'web/templates/svc.yaml', 'web/values.yaml']);
    expect(await defs.list('r')).toEqual([]);
  });

  it('announces changes from commits once its index is loaded', async () => {
    const seen: AnyEngineEvent[] = [];
    s.bus.subscribe((e) => void seen.push(e), {
      types: ['definition.added', 'definition.changed', 'definition.removed'],
    });
    expect(await defs.list('r')).toEqual([]);
    const repo = await s.service.get('r');
    // The definition appears when the work tree changes; the commit that follows changes nothing more.
    await repo.writeFile('compose.yaml', Buffer.from('services: {}\n'), undefined, ACTOR.id);
    await repo.commit({ message: 'compose' }, ACTOR);
    const deadline = Date.now() + 5000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(seen.map((e) => [e.type, e.actor])).toEqual([['definition.added', ACTOR.id]]);
  });

  it('forgets a deleted repository, and indexes a new one of the same name afresh', async () => {
    await defs.create('r', { path: 'Dockerfile', content: 'FROM a\n' }, ACTOR);
    expect(await defs.list('r')).toHaveLength(1);
    await s.service.delete('r', 'tester');
    expect(await codeOf(defs.list('r'))).toBe('REPO_NOT_FOUND');
    await s.service.create({ id: 'r' }, 'tester');
    expect(await defs.list('r')).toEqual([]);
  });

  it('listens again after falling behind the bus, and catches up', async () => {
    const bus = new EventBus({ defaultMaxQueue: 1 });
    const repos = new RepoService({ dataDir: `${s.dir}/other`, bus });
    const own = new DefinitionService({ bus, repos: repoSources(repos) });
    try {
      const repo = await repos.create({ id: 'q' }, 'tester');
      await own.list('q');
      const added: string[] = [];
      bus.subscribe((e) => void (e.type === 'definition.added' && added.push(e.data.definition.path)), {
        types: ['definition.added'],
      });
      const noise = { hash: '0'.repeat(40), branch: 'main', changed: [], message: 'x' };
      for (let i = 0; i < 3; i++) bus.emit('repo.commit', noise, { repo: 'q' }); // overflows its queue of 1
      await repo.writeFile('Dockerfile', Buffer.from('FROM a\n'));
      await repo.commit({ message: 'add' }, ACTOR);
      const deadline = Date.now() + 5000;
      while (added.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(added).toEqual(['Dockerfile']);
    } finally {
      own.close();
      await repos.close();
    }
  });
});
