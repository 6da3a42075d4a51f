/**
 * Crash-safe file writes: a reader sees the old file or the complete new one, never a torn one. The bytes
 * go to a temp file in the same folder (rename is only atomic within a filesystem), are fsynced, renamed
 * over the target, and the folder is fsynced so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_PREFIX = '.tmp-';

export interface AtomicWriteOptions {
  /**
   * False skips both fsyncs: readers still never see a torn file, but after a power cut the old file (or,
   * on some filesystems, an empty one) may be what survives. For files whose loss costs only work, such as
   * the build cache index, which is rewritten after every build.
   */
  durable?: boolean;
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  if (durable) await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  // Some filesystems refuse fsync on a directory handle; the rename is then as durable as they allow.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    /* not supported here */
  } finally {
    await handle.close();
  }
}
