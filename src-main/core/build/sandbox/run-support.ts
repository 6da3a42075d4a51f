/**
 * What every native executor shares: mount-point stubs made in the rootfs before a run and removed after it,
 * a bounded tail of the output for error messages, and spawning the sandbox in its own process group so a
 * cancel kills everything the command started.
 */
import { spawn } from 'node:child_process';
import { lstat, mkdir, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { resolveDir } from '../layers/resolve';
import type { RunSpec } from './executor';

const TAIL_LINES = 20;
const TAIL_BYTES = 16 * 1024;

/**
 * Makes the mount points a run needs (/proc, /dev, each mount's target) and the working directory, runs
 * `body`, then removes the stubs again so they never reach the layer.
 */
export async function withMountStubs<T>(spec: RunSpec, body: () => Promise<T>): Promise<T> {
  const stubs = new Stubs(spec.rootfs);
  await stubs.make('/proc', true);
  await stubs.make('/dev', true);
  for (const mount of spec.mounts) {
    // /dev is a fresh tmpfs inside the sandbox: the sandbox makes mount points there itself.
    if (isUnderDev(mount.target)) continue;
    await stubs.make(mount.target, mount.type === 'tmpfs' || (await isDirectory(mount.source)));
  }
  await resolveDir(spec.rootfs, spec.cwd.split('/'), { create: true });
  try {
    return await body();
  } finally {
    await stubs.remove();
  }
}

export interface SpawnSandbox {
  /** The program that sets the sandbox up, e.g. bwrap. */
  command: string;
  args: string[];
  /** Shown when the program cannot even start. */
  label: string;
  uid?: number;
  gid?: number;
  /** The sandbox program's own environment (not the command's); inherited when absent. */
  env?: Record<string, string>;
}

/** Runs the sandbox program; resolves on exit 0, rejects with RUN_FAILED (exit code, last lines) or CANCELLED. */
export function spawnSandbox(spec: RunSpec, sandbox: SpawnSandbox): Promise<void> {
  const child = spawn(sandbox.command, sandbox.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so cancelling kills the sandbox and everything it started, not just its parent.
    detached: true,
    ...(sandbox.env ? { env: sandbox.env } : {}),
    ...(sandbox.uid !== undefined ? { uid: sandbox.uid } : {}),
    ...(sandbox.gid !== undefined ? { gid: sandbox.gid } : {}),
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
      reject(new GovcError('SANDBOX_UNAVAILABLE', `Cannot start ${sandbox.label}: ${err.message}`)),
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

export function cancelled(): GovcError {
  return new GovcError('CANCELLED', 'The build was cancelled');
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
      // The sandbox would follow it on the host side before entering the root: refuse rather than trust it.
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

export function isUnderDev(target: string): boolean {
  return /^\/+dev\/+[^/]/.test(target) && !target.split('/').includes('..');
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
