import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaType, REF_NAME } from '../oci/types';
import { ContentStore } from './content-store';
import { sha256 } from './digest';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'govc-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function putImage(store: ContentStore, seed: string) {
  const layer = await store.put(Buffer.from(`layer ${seed}`));
  const config = await store.putJson({ seed }, MediaType.config);
  return store.putJson(
    {
      schemaVersion: 2,
      mediaType: MediaType.manifest,
      config,
      layers: [{ mediaType: MediaType.layerGzip, ...layer }],
    },
    MediaType.manifest,
  );
}

describe('ContentStore', () => {
  it('names blobs by sha256 and refuses content that does not match the expected digest', async () => {
    const store = ContentStore.inMemory();
    const info = await store.put(Buffer.from('hello'));
    expect(info).toEqual({ digest: sha256('hello'), size: 5 });
    expect((await store.get(info.digest)).toString()).toBe('hello');
    await expect(store.put(Buffer.from('evil'), info.digest)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    await expect(store.get(sha256('absent'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('persists as an OCI layout with tags as ref.name annotations, and reopens it', async () => {
    const dir = await tempDir();
    const store = await ContentStore.open(dir);
    const manifest = await putImage(store, 'a');
    await store.tag('app:1.0', manifest);
    expect(JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    expect(index.manifests[0].annotations[REF_NAME]).toBe('app:1.0');
    expect(await readdir(join(dir, 'blobs', 'sha256'))).toHaveLength(3);

    const reopened = await ContentStore.open(dir);
    expect(reopened.resolve('app:1.0')?.digest).toBe(manifest.digest);
    expect(await reopened.list()).toHaveLength(3);
    await store.tag('app:1.0', await putImage(store, 'b'));
    expect((await ContentStore.open(dir)).refs()).toHaveLength(1);
    await expect(store.tag('Bad Name', manifest)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('detects a blob corrupted on disk', async () => {
    const dir = await tempDir();
    const info = await (await ContentStore.open(dir)).put(Buffer.from('original'));
    await writeFile(join(dir, 'blobs', 'sha256', info.digest.slice(7)), 'tampered');
    await expect((await ContentStore.open(dir)).get(info.digest)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('collects blobs no reference or extra root reaches, and keeps the rest', async () => {
    const dir = await tempDir();
    const store = await ContentStore.open(dir);
    const kept = await putImage(store, 'kept');
    const dropped = await putImage(store, 'dropped');
    const pinned = await store.put(Buffer.from('cache layer'));
    await store.tag('kept', kept);
    await store.tag('dropped', dropped);
    expect(await store.untag('dropped')).toBe(true);
    const result = await store.gc([pinned.digest]);
    expect(result.removed).toHaveLength(3);
    expect(await store.has(dropped.digest)).toBe(false);
    expect(await store.has(kept.digest)).toBe(true);
    expect(await store.has(pinned.digest)).toBe(true);
    expect(await readdir(join(dir, 'blobs', 'sha256'))).toHaveLength(4);
  });

  it('keeps every tag when tagging concurrently', async () => {
    const store = await ContentStore.open(await tempDir());
    const manifest = await putImage(store, 'c');
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.tag(`t${i}`, manifest)));
    expect(store.refs()).toHaveLength(20);
  });

  it('leaves index.json alone when a tag is set to what it already names, and rewrites it otherwise', async () => {
    const dir = await tempDir();
    const store = await ContentStore.open(dir);
    const one = await putImage(store, 'one');
    const two = await putImage(store, 'two');
    await store.tag('app:latest', one);
    const index = join(dir, 'index.json');
    const before = await stat(index);
    await store.tag('app:latest', one); // a no-change rebuild tags the same digest again
    expect((await stat(index)).ino).toBe(before.ino);
    await store.tag('app:latest', two);
    expect((await stat(index)).ino).not.toBe(before.ino);
    expect((await ContentStore.open(dir)).resolve('app:latest')?.digest).toBe(two.digest);
  });
});
