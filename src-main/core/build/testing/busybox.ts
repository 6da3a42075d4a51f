/**
 * A tiny base image made offline from the host's static busybox (Debian's busybox-static), so build tests
 * need neither a registry nor a network. One layer: /bin/busybox with applet symlinks, /etc/passwd and
 * /etc/group with root, `user` (uid 1000) and nobody, a sticky /tmp, and /root and /home/user.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { GovcError } from '../../../../src-shared/errors';
import type { LayerEntry } from '../layers/entry';
import { writeLayer } from '../layers/tar-writer';
import { emptyImageConfig, isoTime, putImage, type StoredImage } from '../oci/image';
import { MediaType } from '../oci/types';
import type { ContentStore } from '../store/content-store';

/** Applets the tests rely on; those this busybox lacks are left out rather than linked to nothing. */
const APPLETS = [
  '[',
  'basename',
  'cat',
  'chmod',
  'chown',
  'cp',
  'cut',
  'date',
  'dirname',
  'du',
  'echo',
  'env',
  'false',
  'find',
  'grep',
  'head',
  'hostname',
  'id',
  'kill',
  'ln',
  'ls',
  'mkdir',
  'mkfifo',
  'mv',
  'printf',
  'ps',
  'pwd',
  'readlink',
  'rm',
  'rmdir',
  'sed',
  'seq',
  'sh',
  'sleep',
  'sort',
  'stat',
  'tail',
  'tee',
  'test',
  'touch',
  'tr',
  'true',
  'uniq',
  'wc',
  'whoami',
  'xargs',
];

const PASSWD =
  'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n';
export const BUSYBOX_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BusyboxOptions {
  name?: string;
  busybox?: string;
  sourceDateEpoch?: number;
}

export async function buildBusyboxImage(store: ContentStore, options: BusyboxOptions = {}): Promise<StoredImage> {
  const busybox = options.busybox ?? '/bin/busybox';
  const binary = await readFile(busybox).catch(() => {
    throw new GovcError(
      'UNAVAILABLE',
      `${busybox} not found: install busybox-static (apt-get install -y busybox-static)`,
    );
  });
  const listed = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
  const available = new Set((listed.stdout ?? '').split('\n'));
  const epoch = options.sourceDateEpoch ?? 0;

  const entries: LayerEntry[] = [
    { path: 'bin', type: 'directory', mode: 0o755 },
    { path: 'bin/busybox', type: 'file', mode: 0o755, content: binary },
    ...APPLETS.filter((a) => available.has(a)).map((a): LayerEntry => ({
      path: `bin/${a}`,
      type: 'symlink',
      mode: 0o777,
      linkname: 'busybox',
    })),
    { path: 'etc', type: 'directory', mode: 0o755 },
    { path: 'etc/passwd', type: 'file', mode: 0o644, content: Buffer.from(PASSWD) },
    { path: 'etc/group', type: 'file', mode: 0o644, content: Buffer.from(GROUP) },
    { path: 'home', type: 'directory', mode: 0o755 },
    { path: 'home/user', type: 'directory', mode: 0o755, uid: 1000, gid: 1000 },
    { path: 'root', type: 'directory', mode: 0o700 },
    { path: 'tmp', type: 'directory', mode: 0o1777 },
  ];
  const layer = await writeLayer(entries, { sourceDateEpoch: epoch });
  const blob = await store.put(layer.compressed);
  const created = isoTime(epoch);
  const image = await putImage(
    store,
    {
      ...emptyImageConfig(),
      created,
      config: { Env: [BUSYBOX_PATH_ENV], Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created, created_by: `govc testing: busybox base from ${busybox}` }],
    },
    [{ mediaType: MediaType.layerGzip, ...blob }],
  );
  await store.tag(options.name ?? 'busybox:latest', image.descriptor);
  return image;
}
