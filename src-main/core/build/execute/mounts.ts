/**
 * `RUN --mount` as host mounts for the sandbox: cache mounts are folders kept per id under the engine's
 * data folder; bind mounts come from the context or another stage (read-only unless `rw`, and a writable
 * bind gets a throwaway copy so the run cannot change the context); tmpfs is the sandbox's own.
 */
import { createHash } from 'node:crypto';
import { chown, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import type { RunMount } from '../dockerfile/types';
import { resolveDir } from '../layers/resolve';
import type { SandboxMount } from '../sandbox/executor';
import type { SourceFolder } from './sources';

export interface MountSources {
  /** The build context folder. */
  context: string;
  /** The context's entries minus .dockerignore, listed once per build. */
  contextFolder(): Promise<SourceFolder>;
  /** A stage (by name or index) or a local image, as a folder: for COPY --from and bind mounts. */
  folder(from: string): Promise<string>;
  /** What identifies that source's content for cache keys: the stage's key or the image's digest. */
  identity(from: string): Promise<string>;
}

export interface ResolvedMounts {
  mounts: SandboxMount[];
  dispose(): Promise<void>;
}

export async function resolveMounts(
  mounts: RunMount[],
  sources: MountSources,
  dataDir: string,
): Promise<ResolvedMounts> {
  const out: SandboxMount[] = [];
  const temps: string[] = [];
  for (const mount of mounts) {
    const target = posix.resolve('/', mount.target);
    switch (mount.type) {
      case 'cache': {
        const id = mount.id ?? target;
        const dir = join(dataDir, 'cache-mounts', createHash('sha256').update(id).digest('hex').slice(0, 32));
        await mkdir(dir, { recursive: true, mode: mount.mode ?? 0o755 });
        if (mount.uid !== undefined || mount.gid !== undefined) await chown(dir, mount.uid ?? 0, mount.gid ?? 0);
        out.push({ type: 'bind', source: dir, target, readonly: mount.readonly ?? false });
        break;
      }
      case 'bind': {
        const root = mount.from === undefined ? sources.context : await sources.folder(mount.from);
        const parts = (mount.source ?? '').split('/').filter((p) => p !== '' && p !== '.');
        const resolved = await resolveDir(root, parts, { leaf: true }).catch(() => {
          throw new GovcError(
            'BAD_MOUNT',
            `RUN --mount=type=bind: source ${mount.source ?? '/'} not found or outside its root`,
          );
        });
        let source = join(root, ...resolved);
        const readonly = mount.readonly ?? true;
        if (!readonly) {
          const temp = await mkdtemp(join(tmpdir(), 'govc-bind-'));
          temps.push(temp);
          await cp(source, join(temp, 'copy'), { recursive: true, verbatimSymlinks: true });
          source = join(temp, 'copy');
        }
        out.push({ type: 'bind', source, target, readonly });
        break;
      }
      case 'tmpfs':
        out.push({ type: 'tmpfs', target, ...(mount.size === undefined ? {} : { size: mount.size }) });
        break;
      default:
        throw new GovcError(
          'UNSUPPORTED',
          `RUN --mount=type=${mount.type} is not supported yet (secrets and SSH agents need their own providers)`,
        );
    }
  }
  return {
    mounts: out,
    dispose: async () => {
      await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
    },
  };
}
