import { describe, expect, it } from 'vitest';
import { bufferKey, BUFFERS_KEY, createBuffersStore, isUnsaved } from './buffers';
import { EngineRefusal, fakeEngine, memoryStorage, OID } from './fake-engine.test-kit';
import { connectWorkspace, createWorkspaceStores } from './workspace';

const repoInfo = (id: string) => ({ id, persist: false, head: null, branch: 'main', clean: true });

/** An engine with one repository whose files, branches and history the test can change. */
function oneRepoEngine() {
  const files = new Map<string, string>([['Dockerfile', 'FROM alpine']]);
  let head = OID('a');
  const engine = fakeEngine({
    'repos.list': () => ({ repos: [repoInfo('app')], count: 1 }),
    'repos.tree': () => ({
      entries: [...files.keys()].map((path) => ({ path, name: path, type: 'blob', mode: '100644' })),
      count: files.size,
    }),
    'repos.status': () => ({ branch: 'main', head, clean: true, files: [], count: 0 }),
    'repos.diff': () => ({ files: [], additions: 0, deletions: 0, patch: '' }),
    'repos.branches.list': () => ({
      branches: [{ name: 'main', hash: head, current: true, ahead: 0, behind: 0 }],
      current: 'main',
      count: 1,
    }),
    'repos.log': () => ({ commits: [], count: 0, more: false }),
    'repos.files.read': ({ path }) => {
      const content = files.get(String(path));
      if (content === undefined) throw new EngineRefusal('FILE_NOT_FOUND', 'no such file');
      return { path, content, encoding: 'utf8', mode: '100644', oid: OID('f'), size: content.length };
    },
    'repos.files.write': ({ path, content }) => {
      files.set(String(path), String(content));
      return { path, oid: OID('f'), mode: '100644', size: 1, changed: true };
    },
  });
  return { engine, files, moveHead: (hash: string) => (head = hash) };
}

describe('workspace stores, wired', () => {
  it('loads the remembered repository and follows another client’s commit there', async () => {
    const { engine, files, moveHead } = oneRepoEngine();
    const storage = memoryStorage({ 'govc.workspace.repo.v1': '"app"' });
    const stores = createWorkspaceStores(engine.link, storage);
    connectWorkspace(engine.link, stores);
    await expect.poll(() => stores.worktree.getState().files.map((f) => f.path)).toEqual(['Dockerfile']);
    await stores.tabs.getState().open('app', 'Dockerfile');

    // Another client commits a change to the open file: the clean buffer takes the new text.
    files.set('Dockerfile', 'FROM debian');
    moveHead(OID('b'));
    const logsBefore = engine.names().filter((n) => n === 'repos.log').length;
    engine.emit('repo.commit', { hash: OID('b'), branch: 'main', changed: ['Dockerfile'], message: 'x' }, 'app');
    await expect
      .poll(() => stores.buffers.getState().buffers[bufferKey('app', 'Dockerfile')]?.text)
      .toBe('FROM debian');
    expect(engine.names().filter((n) => n === 'repos.log').length).toBeGreaterThan(logsBefore);
  });

  it('ignores events of other repositories', async () => {
    const { engine } = oneRepoEngine();
    const stores = createWorkspaceStores(engine.link, memoryStorage({ 'govc.workspace.repo.v1': '"app"' }));
    connectWorkspace(engine.link, stores);
    await expect.poll(() => stores.branches.getState().current).toBe('main');
    const before = engine.calls.length;
    engine.emit('repo.commit', { hash: OID('c'), branch: 'main', changed: [], message: 'x' }, 'other');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(engine.calls.length).toBe(before);
  });

  it('refreshes the changes after a save', async () => {
    const { engine } = oneRepoEngine();
    const stores = createWorkspaceStores(engine.link, memoryStorage({ 'govc.workspace.repo.v1': '"app"' }));
    connectWorkspace(engine.link, stores);
    await stores.tabs.getState().open('app', 'Dockerfile');
    stores.buffers.getState().edit(bufferKey('app', 'Dockerfile'), 'FROM alpine:3.20');
    const statusBefore = engine.names().filter((n) => n === 'repos.status').length;
    await stores.tabs.getState().save('app', 'Dockerfile');
    expect(engine.names().filter((n) => n === 'repos.status').length).toBeGreaterThan(statusBefore);
  });
});

describe('tabs and buffers: nothing typed is lost', () => {
  it('keeps unsaved text across closing, reopening and a reload, and says it came back', async () => {
    const { engine } = oneRepoEngine();
    const storage = memoryStorage();
    const first = createWorkspaceStores(engine.link, storage);
    await first.tabs.getState().open('app', 'Dockerfile');
    first.buffers.getState().edit(bufferKey('app', 'Dockerfile'), 'FROM alpine\nRUN make');
    first.tabs.getState().close('app', 'Dockerfile');
    await first.tabs.getState().open('app', 'Dockerfile');
    expect(first.buffers.getState().buffers[bufferKey('app', 'Dockerfile')]?.text).toBe('FROM alpine\nRUN make');

    const afterReload = createWorkspaceStores(engine.link, storage);
    expect(afterReload.tabs.getState().byRepo.app).toEqual({ open: ['Dockerfile'], active: 'Dockerfile' });
    await afterReload.tabs.getState().open('app', 'Dockerfile');
    const buffer = afterReload.buffers.getState().buffers[bufferKey('app', 'Dockerfile')];
    expect(buffer).toEqual({ text: 'FROM alpine\nRUN make', base: 'FROM alpine', restored: true });
  });

  it('saves a new file, and forgets the buffer once saved', async () => {
    const { engine, files } = oneRepoEngine();
    const storage = memoryStorage();
    const stores = createWorkspaceStores(engine.link, storage);
    stores.tabs.getState().create('app', 'compose.yaml');
    const key = bufferKey('app', 'compose.yaml');
    expect(isUnsaved(stores.buffers.getState().buffers[key])).toBe(true);
    stores.buffers.getState().edit(key, 'services: {}');
    expect(JSON.parse(storage.getItem(BUFFERS_KEY) ?? '{}')).toEqual({ [key]: { text: 'services: {}', base: null } });

    expect(await stores.tabs.getState().save('app', 'compose.yaml')).toBe(true);
    expect(files.get('compose.yaml')).toBe('services: {}');
    expect(isUnsaved(stores.buffers.getState().buffers[key])).toBe(false);
    expect(JSON.parse(storage.getItem(BUFFERS_KEY) ?? '{}')).toEqual({});
  });

  it('renames a file never saved without asking the engine', async () => {
    const { engine } = oneRepoEngine();
    const stores = createWorkspaceStores(engine.link, memoryStorage());
    stores.tabs.getState().create('app', 'Dockerfle');
    stores.buffers.getState().edit(bufferKey('app', 'Dockerfle'), 'FROM scratch');
    expect(await stores.tabs.getState().rename('app', 'Dockerfle', 'Dockerfile.dev')).toBe(true);
    expect(engine.names()).not.toContain('repos.files.move');
    expect(stores.tabs.getState().byRepo.app).toEqual({ open: ['Dockerfile.dev'], active: 'Dockerfile.dev' });
    expect(stores.buffers.getState().buffers[bufferKey('app', 'Dockerfile.dev')]?.text).toBe('FROM scratch');
  });

  it('reads stored buffers defensively', () => {
    const storage = memoryStorage({ [BUFFERS_KEY]: '{"a:x":{"text":"t","base":"b"},"a:y":{"text":3},"a:z":null}' });
    expect(createBuffersStore(storage).getState().buffers).toEqual({ 'a:x': { text: 't', base: 'b', restored: true } });
  });
});
