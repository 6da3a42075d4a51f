/**
 * ADD of local archives: a tar, plain or gzipped, is extracted into the destination folder (merging with
 * what is there) instead of copied, as Docker does; any other file is copied as it is. Extraction goes
 * through the layer applier, so an ADDed archive meets the same hostile-archive rules as a layer (no
 * escaping the destination, no writing through planted symlinks, no devices, size and ratio caps), and
 * whiteout names, meaningless in an archive, are refused rather than written into our layer.
 */
import { lchown, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { GovcError } from '../../../../src-shared/errors';
import { applyLayer } from '../layers/apply';
import { diffSnapshots } from '../layers/diff';
import type { LayerEntry } from '../layers/entry';
import { resolveDir } from '../layers/resolve';
import { snapshotTree } from '../layers/snapshot';
import { copyIntoRootfs, type CopyPlan } from './copy';
import type { CopyItem } from './sources';

const SNIFF_BYTES = 4096;

export type ArchiveKind = 'tar' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** What the file is by its first bytes (never its name): a tar, a compressed tar, or nothing to extract. */
export async function sniffArchive(path: string): Promise<ArchiveKind | undefined> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // Gzip of something other than a tar is copied as it is, so look inside the first block.
    let inner: Buffer;
    try {
      inner = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1024 * 1024 });
    } catch {
      return undefined;
    }
    return isTarHeader(inner) ? 'gzip' : undefined;
  }
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  return isTarHeader(head) ? 'tar' : undefined;
}

/** A ustar or GNU tar header: the magic at 257 and a checksum that adds up. */
function isTarHeader(block: Buffer): boolean {
  if (block.length < 512 || !block.subarray(257, 262).equals(Buffer.from('ustar'))) return false;
  const stored = parseInt(block.subarray(148, 156).toString('latin1').replace(/\0.*$/, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return stored === sum;
}

/**
 * Runs an ADD whose sources include archives: plain items are copied as COPY would, archives extracted into
 * the destination folder, and the layer is what changed in the rootfs (a snapshot before and after).
 */
export async function addWithArchives(rootfs: string, plan: CopyPlan, archives: CopyItem[]): Promise<LayerEntry[]> {
  const before = await snapshotTree(rootfs);
  const rest = plan.items.filter((item) => !archives.includes(item));
  if (rest.length > 0 || plan.inline.length > 0) await copyIntoRootfs(rootfs, { ...plan, items: rest });
  const dest = await resolveDir(
    rootfs,
    plan.dest.split('/').filter((p) => p !== '' && p !== '.'),
    { create: true, onCreate: (rel) => lchown(join(rootfs, rel), plan.uid, plan.gid) },
  );
  const destHost = join(rootfs, ...dest);
  for (const archive of archives) {
    const kind = await sniffArchive(archive.host);
    if (kind !== 'tar' && kind !== 'gzip')
      throw new GovcError(
        'UNSUPPORTED',
        `ADD ${archive.sourcePath}: ${kind} archives are not extracted yet (tar and tar+gzip are); use COPY and RUN tar -x`,
      );
    try {
      await applyLayer(destHost, await readFile(archive.host), {
        allowSetuid: true,
        refuseWhiteouts: true,
        // As buildah does: --chown owns the folders extraction implies, while entries keep the archive's owners.
        impliedDirOwner: { uid: plan.uid, gid: plan.gid },
      });
    } catch (err) {
      const error = GovcError.from(err);
      throw new GovcError(error.code, `ADD ${archive.sourcePath}: ${error.message}`, error.details);
    }
  }
  const after = await snapshotTree(rootfs);
  return diffSnapshots(rootfs, before, after).entries;
}
