/**
 * Runs an engine's binary in its own process group with stdout and stderr merged into one ordered stream
 * of lines (an engine interleaves step headers on one and command output on the other), and kills the
 * whole tree when the build is cancelled.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessResult {
  code: number | null;
  cancelled: boolean;
}

export interface RunOptions {
  env?: Record<string, string>;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

/** How long the engine gets to clean up after SIGTERM (its own containers, locks) before SIGKILL. */
const TERM_GRACE_MS = 2_000;

export function runEngineProcess(binary: string, argv: string[], options: RunOptions = {}): Promise<ProcessResult> {
  // `exec … 2>&1` gives one pipe for both streams, so lines keep the order the engine wrote them in.
  const [command, args] =
    process.platform === 'win32' ? [binary, argv] : ['/bin/sh', ['-c', 'exec "$@" 2>&1', 'sh', binary, ...argv]];
  const child = spawn(command, args, {
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let partial = '';
  const push = (chunk: Buffer): void => {
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop()!;
    for (const line of lines) options.onLine?.(line.replace(/\r$/, ''));
  };
  child.stdout.on('data', push);
  child.stderr.on('data', push);

  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  // Descendants seen at SIGTERM: once the engine dies they are re-parented and no longer found under it.
  let seen: number[] = [];
  const onAbort = (): void => {
    cancelled = true;
    if (child.pid === undefined) return;
    seen = killTree(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => killTree(child.pid!, 'SIGKILL', seen), TERM_GRACE_MS);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (partial) options.onLine?.(partial);
      partial = '';
      if (cancelled) {
        // Whatever ignored SIGTERM and outlived the engine is killed now, not after the grace period.
        clearTimeout(killTimer);
        killTree(child.pid!, 'SIGKILL', seen);
      }
      resolve({ code, cancelled });
    });
  });
}

/**
 * The process group, and every descendant found through /proc: an engine's RUN helper may start its own
 * session (buildah's chroot runner does), which a group kill alone would miss.
 */
export function killTree(pid: number, signal: NodeJS.Signals, also: readonly number[] = []): number[] {
  const pids = [...new Set([...descendants(pid), ...also.flatMap((p) => [p, ...descendants(p)]), pid])];
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already, or was never made (Windows).
  }
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}

function descendants(root: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command name before it may hold spaces and parens.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // The process ended while we read.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
