/**
 * Helpers for the repository tests: the git CLI as an oracle, run with a fixed identity and no user or
 * system config, so its results depend only on what the test did.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../events/bus';
import { RepoService } from './service';

export const AUTHOR = { name: 'A U Thor', email: 'author@example.com', time: 1_700_000_000, timezone: '+0100' };
export const ACTOR = { id: 'tester', name: 'Tester' };

export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: AUTHOR.name,
    GIT_AUTHOR_EMAIL: AUTHOR.email,
    GIT_COMMITTER_NAME: AUTHOR.name,
    GIT_COMMITTER_EMAIL: AUTHOR.email,
    GIT_AUTHOR_DATE: `${AUTHOR.time} ${AUTHOR.timezone}`,
    GIT_COMMITTER_DATE: `${AUTHOR.time} ${AUTHOR.timezone}`,
    LANG: 'C',
    ...extra,
  };
}

/** Runs git and returns stdout; throws with stderr when it fails. */
export function git(cwd: string, args: string[], extra: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, env: gitEnv(extra), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `git fsck --full --strict`: its exit code and everything it printed. */
export function fsck(gitdir: string): { ok: boolean; output: string } {
  try {
    const out = execFileSync('git', ['--git-dir', gitdir, 'fsck', '--full', '--strict'], {
      env: gitEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, output: out };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export interface Scratch {
  dir: string;
  service: RepoService;
  bus: EventBus;
  cleanup(): Promise<void>;
}

/** A data folder and a repository service on it; tmpfs when there is one, for speed. */
export function scratch(prefix = 'govc-git-'): Scratch {
  const base = process.platform === 'linux' ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, prefix));
  const bus = new EventBus();
  const service = new RepoService({ dataDir: join(dir, 'data'), bus });
  return {
    dir,
    service,
    bus,
    async cleanup() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
