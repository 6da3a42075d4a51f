import { describe, expect, it } from 'vitest';
import { EngineRefusal, fakeEngine, memoryStorage, OID } from './fake-engine.test-kit';
import { badgeOf, createWorktreeStore, MESSAGES_KEY } from './worktree';

function engine(options: { nothingToCommit?: boolean } = {}) {
  return fakeEngine({
    'repos.tree': () => ({ entries: [], count: 0 }),
    'repos.status': () => ({
      branch: 'main',
      head: OID('a'),
      clean: false,
      files: [
        { path: 'Dockerfile', staged: 'modified', unstaged: null },
        { path: 'new.yaml', staged: null, unstaged: 'new' },
        { path: 'both.json', staged: 'modified', unstaged: 'modified' },
      ],
      count: 3,
    }),
    'repos.diff': () => ({
      files: [{ path: 'Dockerfile', status: 'modified', additions: 2, deletions: 1 }],
      additions: 2,
      deletions: 1,
      patch: '',
    }),
    'repos.restore': (input) => ({ restored: input.paths }),
    'repos.files.delete': (input) => ({ deleted: [input.path] }),
    'repos.commit': () => {
      if (options.nothingToCommit) throw new EngineRefusal('NOTHING_TO_COMMIT', 'Nothing to commit');
      return { hash: OID('b'), branch: 'main', changed: ['Dockerfile'] };
    },
  });
}

describe('worktree store', () => {
  it('turns the status into badges, checkbox states and line counts', async () => {
    const store = createWorktreeStore(engine().link, memoryStorage());
    await store.getState().load('app');
    expect(store.getState().changes.map((c) => [c.path, c.badge, c.staging, c.additions])).toEqual([
      ['Dockerfile', 'M', 'staged', 2],
      ['new.yaml', 'A', 'unstaged', undefined],
      ['both.json', 'M', 'partly', undefined],
    ]);
  });

  it('restores a tracked file and deletes a new one', async () => {
    const fake = engine();
    const store = createWorktreeStore(fake.link, memoryStorage());
    await store.getState().load('app');
    await store.getState().restore('Dockerfile');
    await store.getState().restore('new.yaml');
    const writes = fake.calls.filter((c) => ['repos.restore', 'repos.files.delete'].includes(c.name));
    expect(writes.map((c) => [c.name, c.input.paths ?? c.input.path])).toEqual([
      ['repos.restore', ['Dockerfile']],
      ['repos.files.delete', 'new.yaml'],
    ]);
  });

  it('keeps the message being written across a reload and clears it after the commit', async () => {
    const storage = memoryStorage();
    const store = createWorktreeStore(engine().link, storage);
    await store.getState().load('app');
    store.getState().setDraftMessage('Bump the base image');
    const reloaded = createWorktreeStore(engine().link, storage);
    await reloaded.getState().load('app');
    expect(reloaded.getState().draftMessage).toBe('Bump the base image');

    expect(await reloaded.getState().commit('Bump the base image')).toBe(OID('b'));
    expect(reloaded.getState().draftMessage).toBe('');
    expect(reloaded.getState().lastCommit).toBe(OID('b'));
    expect(JSON.parse(storage.getItem(MESSAGES_KEY) ?? '{}')).toEqual({});
  });

  it('says plainly when there is nothing to commit', async () => {
    const store = createWorktreeStore(engine({ nothingToCommit: true }).link, memoryStorage());
    await store.getState().load('app');
    expect(await store.getState().commit('x')).toBeUndefined();
    expect(store.getState().problem).toBe('Could not commit: there are no changes to commit');
  });

  it.each([
    [{ staged: 'deleted', unstaged: null }, 'D'],
    [{ staged: null, unstaged: 'deleted' }, 'D'],
    [{ staged: 'added', unstaged: 'modified' }, 'A'],
    [{ staged: null, unstaged: 'modified' }, 'M'],
  ] as const)('badge of %o is %s', (change, badge) => {
    expect(badgeOf({ path: 'x', ...change })).toBe(badge);
  });
});
