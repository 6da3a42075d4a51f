import { describe, expect, it } from 'vitest';
import { createBranchesStore } from './branches';
import { EngineRefusal, fakeEngine, OID } from './fake-engine.test-kit';

const branchList = () => ({
  branches: [
    { name: 'feature', hash: OID('b'), current: false, ahead: 1, behind: 0 },
    { name: 'main', hash: OID('a'), current: true, ahead: 0, behind: 0 },
  ],
  current: 'main',
  count: 2,
});

describe('branches store', () => {
  it('lists the conflicting paths of a merge, and what a clean one did', async () => {
    let conflict = true;
    const engine = fakeEngine({
      'repos.branches.list': branchList,
      'repos.merge': () => {
        if (conflict) {
          throw new EngineRefusal('MERGE_CONFLICT', 'Merge conflict', {
            conflicts: [
              { path: 'Dockerfile', reason: 'content' },
              { path: 'app/compose.yaml', reason: 'add/add' },
            ],
            paths: ['Dockerfile', 'app/compose.yaml'],
          });
        }
        return { status: 'merged', hash: OID('c'), base: OID('a'), changed: ['Dockerfile'] };
      },
    });
    const store = createBranchesStore(engine.link);
    await store.getState().load('app');

    expect(await store.getState().merge('feature')).toEqual({
      kind: 'conflict',
      ref: 'feature',
      paths: ['Dockerfile', 'app/compose.yaml'],
    });
    conflict = false;
    await store.getState().merge('feature');
    expect(store.getState().lastMerge).toEqual({ kind: 'merged', ref: 'feature', status: 'merged', changed: 1 });
  });

  it('says which local changes a checkout would overwrite', async () => {
    const engine = fakeEngine({
      'repos.branches.list': branchList,
      'repos.checkout': () => {
        throw new EngineRefusal('DIRTY_WORKTREE', 'Local changes would be overwritten', { paths: ['Dockerfile'] });
      },
    });
    const store = createBranchesStore(engine.link);
    await store.getState().load('app');
    expect(await store.getState().checkout('feature')).toBe(false);
    expect(store.getState().problem).toBe(
      'Could not switch to feature: Local changes would be overwritten (DIRTY_WORKTREE) (Dockerfile)',
    );
    expect(store.getState().current).toBe('main');
  });

  it('creates a branch and switches to it, then lists again', async () => {
    const engine = fakeEngine({
      'repos.branches.list': branchList,
      'repos.branches.create': (input) => ({ name: input.name, hash: OID('a'), current: true, ahead: 0, behind: 0 }),
    });
    const store = createBranchesStore(engine.link);
    await store.getState().load('app');
    expect(await store.getState().create('next')).toBe(true);
    expect(engine.calls.find((c) => c.name === 'repos.branches.create')?.input).toEqual({
      repo: 'app',
      name: 'next',
      checkout: true,
    });
    expect(engine.names().at(-1)).toBe('repos.branches.list');
  });
});
