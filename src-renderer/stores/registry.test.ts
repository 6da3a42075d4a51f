import { describe, expect, it } from 'vitest';
import { EngineRefusal, fakeEngine } from './fake-engine.test-kit';
import { createRegistryStore } from './registry';

const repository = (name: string, anonymous_pull = false) => ({ name, tags: ['v1'], manifests: 1, anonymous_pull });

function engineWith(names: string[]) {
  let detailsReads = 0;
  let repositories = names.map((name) => repository(name));
  return fakeEngine({
    'registry.repositories': () => ({
      repositories,
      count: repositories.length,
      blobs: 3,
      bytes: 900,
      persistent: true,
    }),
    'registry.anonymousPull.set': ({ repo, enabled }) => {
      if (repo === 'locked/app') throw new EngineRefusal('FORBIDDEN', 'This token lacks repo:admin');
      return { repo, anonymous_pull: enabled };
    },
    'registry.repository': ({ repo }) => {
      if (repo === 'locked/app') throw new EngineRefusal('FORBIDDEN', 'This token lacks registry:read on locked/app');
      return { name: repo, anonymous_pull: false, tags: [], untagged: detailsReads++ };
    },
    'registry.gc': () => {
      repositories = repositories.slice(1);
      return { removed: 2, freed_bytes: 512, uploads_expired: 1 };
    },
  });
}

describe('registry store', () => {
  it('loads the repositories when attached and again after a push', async () => {
    const engine = engineWith(['team/app']);
    const store = createRegistryStore(engine.link);
    store.getState().attach();
    await expect.poll(() => store.getState().overview?.repositories.map((r) => r.name)).toEqual(['team/app']);
    engine.emit('registry.push', { repository: 'team/app', reference: 'v2', digest: 'sha256:a', media_type: 'x' });
    await expect.poll(() => engine.names().filter((n) => n === 'registry.repositories').length).toBe(2);
  });

  it('switches anonymous pull on one repository, and keeps the refusal for the one not permitted', async () => {
    const engine = engineWith(['team/app', 'locked/app']);
    const store = createRegistryStore(engine.link);
    await store.getState().refresh();
    await store.getState().setAnonymousPull('team/app', true);
    await store.getState().setAnonymousPull('locked/app', true);
    const byName = Object.fromEntries(store.getState().overview!.repositories.map((r) => [r.name, r.anonymous_pull]));
    expect(byName).toEqual({ 'team/app': true, 'locked/app': false });
    expect(store.getState().refusals['locked/app']).toMatch(/lacks repo:admin/);
    expect(store.getState().switching).toEqual([]);
    expect(engine.calls.find((c) => c.name === 'registry.anonymousPull.set')?.input).toEqual({
      repo: 'team/app',
      enabled: true,
    });
  });

  it('runs garbage collection, keeps its result and reads the repositories again', async () => {
    const engine = engineWith(['team/app', 'team/web']);
    const store = createRegistryStore(engine.link);
    await store.getState().refresh();
    await store.getState().collectGarbage();
    expect(store.getState().gc).toEqual({
      phase: 'done',
      result: { removed: 2, freed_bytes: 512, uploads_expired: 1 },
    });
    expect(store.getState().overview?.repositories.map((r) => r.name)).toEqual(['team/web']);
  });

  it('expands a repository to read its manifests, reads them again after a push, and collapses it', async () => {
    const engine = engineWith(['team/app', 'locked/app']);
    const store = createRegistryStore(engine.link);
    store.getState().attach();
    await store.getState().toggle('team/app');
    expect(store.getState().expanded).toEqual(['team/app']);
    expect(store.getState().details['team/app']).toMatchObject({ phase: 'done', data: { untagged: 0 } });
    engine.emit('registry.push', { repository: 'team/app', reference: 'v2', digest: 'sha256:a', media_type: 'x' });
    await expect.poll(() => store.getState().details['team/app']).toMatchObject({ data: { untagged: 1 } });

    await store.getState().toggle('locked/app');
    expect(store.getState().details['locked/app']).toEqual({
      phase: 'failed',
      problem: expect.stringMatching(/lacks registry:read on locked\/app/),
    });
    await store.getState().toggle('team/app');
    expect(store.getState().expanded).toEqual(['locked/app']);
  });

  it('says why the list could not be read', async () => {
    const engine = fakeEngine({
      'registry.repositories': () => {
        throw new EngineRefusal('FORBIDDEN', 'Needs registry:read');
      },
    });
    const store = createRegistryStore(engine.link);
    await store.getState().refresh();
    expect(store.getState().problem).toMatch(/registry:read/);
  });
});
