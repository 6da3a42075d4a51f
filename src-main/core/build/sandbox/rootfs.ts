/**
 * Scratch root filesystems for RUN: materialised from an image's layers in a private temp folder (on
 * /dev/shm when it exists, since RAM is faster than disk for a rootfs that lives seconds), run in, diffed,
 * discarded. The folder that holds the rootfs is traverse-only (0711) and the rootfs has a random name,
 * so other local users cannot find, let alone run, the image's setuid files.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { access, chmod, constants, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyLayer } from '../layers/apply';
import { LoopYielder, yieldToLoop } from '../layers/batch';
import { diffSnapshots, type RootfsDiff } from '../layers/diff';
import { snapshotTree } from '../layers/snapshot';
import type { Descriptor } from '../oci/types';
import type { ContentStore } from '../store/content-store';
import type { Executor, RunOutcome, RunSpec } from './executor';

export interface Scratch {
  rootfs: string;
  dispose(): Promise<void>;
}

export async function createScratch(): Promise<Scratch> {
  const base = (await access('/dev/shm', constants.W_OK).then(
    () => true,
    () => false,
  ))
    ? '/dev/shm'
    : tmpdir();
  const holder = await mkdtemp(join(base, 'govc-run-'));
  await chmod(holder, 0o711);
  const rootfs = join(holder, randomBytes(16).toString('hex'));
  await mkdir(rootfs, { mode: 0o755 });
  return { rootfs, dispose: () => removeTree(holder) };
}

/**
 * `rm -rf` with synchronous unlinks, yielding every 256 (fs.rm's recursive removal is an async call per
 * path, several times slower on a 5,000-file rootfs; see layers/batch.ts). Whatever that walk cannot
 * remove (a folder made read-only by a RUN) falls back to fs.rm, which reports real failures.
 */
async function removeTree(root: string): Promise<void> {
  const yielder = new LoopYielder();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (yielder.due()) await yieldToLoop();
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
        rmdirSync(path);
      } else unlinkSync(path);
    }
  };
  try {
    await walk(root);
    rmdirSync(root);
  } catch {
    await rm(root, { recursive: true, force: true });
  }
}

/** Applies layers (bottom first) onto `rootfs`; setuid bits are kept since the rootfs is private. */
export async function materialise(store: ContentStore, layers: readonly Descriptor[], rootfs: string): Promise<void> {
  for (const layer of layers) await applyLayer(rootfs, await store.get(layer.digest), { allowSetuid: true });
}

export interface RunDiff {
  outcome: RunOutcome;
  diff: RootfsDiff;
}

/** Runs a command in `spec.rootfs` and returns what it changed there. */
export async function runAndDiff(executor: Executor, spec: RunSpec): Promise<RunDiff> {
  const before = await snapshotTree(spec.rootfs);
  const outcome = await executor.run(spec);
  const after = await snapshotTree(spec.rootfs);
  return { outcome, diff: diffSnapshots(spec.rootfs, before, after) };
}
