import { describe, expect, it } from 'vitest';
import { EngineRefusal, fakeEngine } from './fake-engine.test-kit';
import { createImagesStore, transferTotals } from './images';

const summary = (name: string, digest: string) => ({
  names: [name],
  digest,
  media_type: 'application/vnd.oci.image.manifest.v1+json',
  size: 1234,
  created: '2024-05-01T10:00:00Z',
  architecture: 'amd64',
  os: 'linux',
  layers: 1,
});

function engineWith(images = [summary('app:1', 'sha256:aaa'), summary('web:2', 'sha256:bbb')]) {
  let current = images;
  return fakeEngine({
    'images.list': () => ({ images: current, total: current.length }),
    'images.get': ({ ref }) => {
      const found = current.find((i) => i.digest === ref);
      if (!found) throw new EngineRefusal('NOT_FOUND', `No image named ${String(ref)}`);
      return { ...found, config: { Cmd: ['/run'] }, layer_list: [], history: [] };
    },
    'images.delete': ({ ref }) => {
      current = current.filter((i) => !i.names.includes(ref as string));
      return { digest: 'sha256:aaa', untagged: [ref] };
    },
    'images.export': ({ dest }) => {
      if (!String(dest).startsWith('/'))
        throw new EngineRefusal('VALIDATION_FAILED', 'Invalid dest: expected an absolute path');
      return {};
    },
    'images.push': () => ({ digest: 'sha256:aaa', media_type: 'x', uploaded: 1, skipped: 1, mounted: 0 }),
    'images.sign': ({ ref }) => {
      if (ref === 'gone:1') throw new EngineRefusal('IMAGE_NOT_FOUND', 'No image named gone:1 in the local store');
      return {
        image: 'sha256:aaa',
        digest: `sha256:${'5'.repeat(64)}`,
        key_id: 'ab'.repeat(16),
        created: '2026-01-01T00:00:00Z',
        verified: true,
        trusted: true,
      };
    },
    'images.pull': ({ reference }) => {
      current = [...current, summary(reference as string, 'sha256:ccc')];
      return { name: reference, digest: 'sha256:ccc', media_type: 'x', size: 1 };
    },
  });
}

describe('images store', () => {
  it('loads the list when attached and the details of the selected image', async () => {
    const engine = engineWith();
    const store = createImagesStore(engine.link);
    store.getState().attach();
    await expect.poll(() => store.getState().images.length).toBe(2);
    await store.getState().select('sha256:bbb');
    expect(store.getState().detail).toMatchObject({ names: ['web:2'], config: { Cmd: ['/run'] } });
    await store.getState().select('sha256:missing');
    expect(store.getState().detail).toBeUndefined();
    expect(store.getState().detailProblem).toMatch(/No image named/);
  });

  it('deletes, refreshing the list and dropping a selection that went away', async () => {
    const engine = engineWith();
    const store = createImagesStore(engine.link);
    await store.getState().refresh();
    await store.getState().select('sha256:aaa');
    await store.getState().deleteImage('app:1');
    expect(store.getState().action).toMatchObject({ phase: 'done', kind: 'delete', message: 'Deleted app:1' });
    expect(store.getState().images.map((i) => i.digest)).toEqual(['sha256:bbb']);
    expect(store.getState().selected).toBeUndefined();
  });

  it('says why an export failed, and what a successful one wrote where', async () => {
    const engine = engineWith();
    const store = createImagesStore(engine.link);
    await store.getState().exportImage('app:1', 'oci', 'out');
    expect(store.getState().action).toMatchObject({ phase: 'failed', kind: 'export' });
    expect((store.getState().action as { problem: string }).problem).toMatch(/absolute path/);
    await store.getState().exportImage('app:1', 'oci-archive', '/tmp/app.tar');
    expect(store.getState().action).toMatchObject({ phase: 'done', message: expect.stringContaining('/tmp/app.tar') });
    expect(engine.calls.at(-1)).toEqual({
      name: 'images.export',
      input: { ref: 'app:1', format: 'oci-archive', dest: '/tmp/app.tar' },
    });
  });

  it('follows transfer progress of the running push only, then reports the counts', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const engine = fakeEngine({
      'images.list': () => ({ images: [], total: 0 }),
      'images.push': async () => {
        await gate;
        return { digest: 'sha256:aaa', media_type: 'x', uploaded: 1, skipped: 1, mounted: 0 };
      },
    });
    const progress = (direction: string, digest: string, state: string, bytes: number, total: number) =>
      engine.emit('registry.transfer.progress', { direction, reference: 'r', digest, state, bytes, total });
    const store = createImagesStore(engine.link);
    store.getState().attach();
    progress('push', 'sha256:early', 'started', 0, 10); // no push running yet: not this view's
    const done = store.getState().push('app:1', '127.0.0.1:5000/r/app:1');
    expect(store.getState().action).toMatchObject({ phase: 'running', kind: 'push' });
    progress('push', 'sha256:l1', 'progress', 40, 100);
    progress('push', 'sha256:l2', 'skipped', 0, 50);
    progress('pull', 'sha256:x', 'progress', 1, 9); // a pull someone else runs
    expect(transferTotals(store.getState().transfers)).toEqual({ bytes: 90, total: 150, blobs: 2 });
    release();
    await done;
    expect(store.getState().action).toMatchObject({
      phase: 'done',
      message: expect.stringContaining('1 uploaded, 1 already there'),
    });
  });

  it('pulls and lists the pulled image; refreshes when an image is deleted elsewhere', async () => {
    const engine = engineWith([]);
    const store = createImagesStore(engine.link);
    store.getState().attach();
    await store.getState().pull('alpine:3.20');
    expect(store.getState().action).toMatchObject({ phase: 'done', message: 'Pulled alpine:3.20 as alpine:3.20' });
    expect(store.getState().images.map((i) => i.names[0])).toEqual(['alpine:3.20']);
    const before = engine.names().filter((n) => n === 'images.list').length;
    engine.emit('image.deleted', { digest: 'sha256:ccc', untagged: ['alpine:3.20'], pruned: false });
    await expect.poll(() => engine.names().filter((n) => n === 'images.list').length).toBe(before + 1);
  });

  it('signs, naming the key, and says why a signature could not be made', async () => {
    const store = createImagesStore(engineWith().link);
    await store.getState().sign('app:1');
    expect(store.getState().action).toMatchObject({
      phase: 'done',
      kind: 'sign',
      message: `Signed app:1 with key ${'ab'.repeat(16)} (signature 555555555555)`,
    });
    await store.getState().sign('gone:1');
    expect(store.getState().action).toMatchObject({ phase: 'failed', problem: expect.stringContaining('gone:1') });
  });
});
