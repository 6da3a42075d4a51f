/**
 * The native RUN executor: bubblewrap (bwrap), which runs the command with the rootfs bind-mounted as `/`,
 * fresh /proc and /dev, and its own PID, IPC, UTS (and unless `network=host`, network) namespaces. As root,
 * bwrap needs no user namespace; for a non-root USER it is started as that uid/gid inside a user namespace,
 * so files the command creates belong to that user in the layer, as they would under Docker.
 */
import { spawn, spawnSync } from 'node:child_process';
import { lstat, mkdir, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { resolveDir } from '../layers/resolve';
import type { Availability, Executor, RunOutcome, RunSpec } from './executor';

const TAIL_LINES = 20;
const TAIL_BYTES = 16 * 1024;

export class BubblewrapExecutor implements Executor {
  readonly name = 'bubblewrap';
  private available: Availability | undefined;

  constructor(private readonly bwrap = 'bwrap') {}

  availability(): Availability {
    if (this.available) return this.available;
    if (process.platform !== 'linux') {
      this.available = {
        ok: false,
        reason: `RUN needs a Linux sandbox and this is ${process.platform}: build on Linux (or in a Linux VM), or plug in an external engine such as buildah`,
      };
    } else if (spawnSync(this.bwrap, ['--version'], { stdio: 'ignore' }).status !== 0) {
      this.available = {
        ok: false,
        reason:
          'RUN needs bubblewrap, which is not installed: apt-get install -y bubblewrap (or plug in an external engine such as buildah)',
      };
    } else this.available = { ok: true };
    return this.available;
  }

  async run(spec: RunSpec): Promise<RunOutcome> {
    const available = this.availability();
    if (!available.ok) throw new GovcError('SANDBOX_UNAVAILABLE', available.reason);
    if (spec.signal?.aborted) throw cancelled();
    // Mount points are made here (bwrap as a non-root USER could not) and removed again after the run,
    // so they never reach the layer.
    const stubs = new Stubs(spec.rootfs);
    await stubs.make('/proc', true);
    await stubs.make('/dev', true);
    for (const mount of spec.mounts)
      await stubs.make(mount.target, mount.type === 'tmpfs' || (await isDirectory(mount.source)));
    await resolveDir(spec.rootfs, spec.cwd.split('/'), { create: true });
    const started = Date.now();
    try {
      await this.spawnSandbox(spec);
    } finally {
      await stubs.remove();
    }
    return { durationMs: Date.now() - started };
  }

  private spawnSandbox(spec: RunSpec): Promise<void> {
    const args = bwrapArgs(spec);
    const asUser = spec.uid !== 0 || spec.gid !== 0;
    const child = spawn(this.bwrap, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so cancelling kills bwrap and everything it started, not just bwrap.
      detached: true,
      ...(asUser ? { uid: spec.uid, gid: spec.gid } : {}),
    });
    const tail = new OutputTail();
    const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      tail.push(chunk);
      spec.onOutput?.(stream, chunk);
    };
    child.stdout.on('data', onData('stdout'));
    child.stderr.on('data', onData('stderr'));
    const kill = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    };
    spec.signal?.addEventListener('abort', kill, { once: true });
    return new Promise<void>((resolve, reject) => {
      child.on('error', (err) =>
        reject(new GovcError('SANDBOX_UNAVAILABLE', `Cannot start bubblewrap: ${err.message}`)),
      );
      child.on('close', (code, signal) => {
        spec.signal?.removeEventListener('abort', kill);
        if (spec.signal?.aborted) return reject(cancelled());
        if (code === 0) return resolve();
        const exitCode = code ?? 128;
        const lines = tail.lines();
        reject(
          new GovcError(
            'RUN_FAILED',
            `${describe(spec.argv)} failed with exit code ${exitCode}${signal ? ` (${signal})` : ''}${lines.length ? `:\n${lines.join('\n')}` : ''}`,
            { exitCode, lastLines: lines },
          ),
        );
      });
    });
  }
}

export function bwrapArgs(spec: RunSpec): string[] {
  const args = ['--bind', spec.rootfs, '/', '--proc', '/proc', '--dev', '/dev'];
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', 'govc-build');
  if (spec.network !== 'host') args.push('--unshare-net');
  if (spec.uid !== 0 || spec.gid !== 0)
    args.push('--unshare-user', '--uid', String(spec.uid), '--gid', String(spec.gid));
  args.push('--die-with-parent', '--new-session', '--chdir', spec.cwd, '--clearenv');
  for (const pair of spec.env) {
    const eq = pair.indexOf('=');
    if (eq > 0) args.push('--setenv', pair.slice(0, eq), pair.slice(eq + 1));
  }
  for (const mount of spec.mounts) {
    if (mount.type === 'tmpfs') {
      if (mount.size !== undefined) args.push('--size', String(mount.size));
      args.push('--tmpfs', mount.target);
    } else args.push(mount.readonly ? '--ro-bind' : '--bind', mount.source, mount.target);
  }
  args.push('--', ...spec.argv);
  return args;
}

/** Paths inside the rootfs that did not exist before the run and were only made to mount onto. */
class Stubs {
  private readonly created: string[] = [];
  constructor(private readonly rootfs: string) {}

  async make(target: string, directory: boolean): Promise<void> {
    const parts = target.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) throw new GovcError('BAD_MOUNT', `Mount target ${target} climbs out of the root`);
    for (let i = 1; i <= parts.length; i++) {
      const host = join(this.rootfs, ...parts.slice(0, i));
      const info = await lstat(host).catch(() => undefined);
      if (!info) {
        for (let j = i; j <= parts.length; j++) {
          const path = join(this.rootfs, ...parts.slice(0, j));
          this.created.push(path);
          if (j < parts.length || directory) await mkdir(path, { mode: 0o755 });
          else await writeFile(path, '', { mode: 0o644 });
        }
        return;
      }
      // bwrap would follow it on the host side before entering the sandbox: refuse rather than trust it.
      if (info.isSymbolicLink())
        throw new GovcError(
          'BAD_MOUNT',
          `Mount target ${target} passes through a symlink (/${parts.slice(0, i).join('/')})`,
        );
    }
  }

  /** Deepest first, and only while empty: whatever the command wrote there stays. */
  async remove(): Promise<void> {
    for (const path of [...new Set(this.created)].sort().reverse()) {
      const info = await lstat(path).catch(() => undefined);
      if (!info) continue;
      if (info.isDirectory()) await rmdir(path).catch(() => undefined);
      else if (info.isFile() && info.size === 0) await unlink(path).catch(() => undefined);
    }
  }
}

class OutputTail {
  private text = '';
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-TAIL_BYTES);
  }
  lines(): string[] {
    return this.text
      .replace(/\n$/, '')
      .split('\n')
      .slice(-TAIL_LINES)
      .filter((l, i, all) => l !== '' || i < all.length - 1);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function describe(argv: string[]): string {
  const text = argv.join(' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function cancelled(): GovcError {
  return new GovcError('CANCELLED', 'The build was cancelled');
}
