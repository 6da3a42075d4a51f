/**
 * WORKDIR makes its folder, as BuildKit does (`mkdir -p`, in a layer of its own): missing folders are
 * created 0755 and owned by the current USER, so a non-root user can write in its WORKDIR; folders that
 * exist keep their owner and mode. Nothing to create means no layer.
 */
import { lchown } from 'node:fs/promises';
import { join } from 'node:path';
import { entriesForPaths } from '../layers/diff';
import type { LayerEntry } from '../layers/entry';
import { resolveDir } from '../layers/resolve';

export async function makeWorkdir(
  rootfs: string,
  workdir: string,
  owner: { uid: number; gid: number },
): Promise<LayerEntry[]> {
  const created: string[] = [];
  await resolveDir(
    rootfs,
    workdir.split('/').filter((p) => p !== ''),
    {
      create: true,
      onCreate: async (rel) => {
        await lchown(join(rootfs, rel), owner.uid, owner.gid);
        created.push(rel);
      },
    },
  );
  return created.length === 0 ? [] : entriesForPaths(rootfs, created);
}
