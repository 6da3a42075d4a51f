/**
 * The native RUN executor: bubblewrap (bwrap), which runs the command with the rootfs bind-mounted as `/`,
 * fresh /proc and /dev, and its own PID, IPC, UTS (and unless `network=host`, network) namespaces. As root,
 * bwrap needs no user namespace; for a non-root USER it is started as that uid/gid inside a user namespace,
 * so files the command creates belong to that user in the layer, as they would under Docker.
 */
import { spawnSync } from 'node:child_process';
import { GovcError } from '../../../../src-shared/errors';
import type { Availability, Executor, RunOutcome, RunSpec } from './executor';
import { cancelled, spawnSandbox, withMountStubs } from './run-support';

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
    const asUser = spec.uid !== 0 || spec.gid !== 0;
    const started = Date.now();
    await withMountStubs(spec, () =>
      spawnSandbox(spec, {
        command: this.bwrap,
        args: bwrapArgs(spec),
        label: 'bubblewrap',
        ...(asUser ? { uid: spec.uid, gid: spec.gid } : {}),
      }),
    );
    return { durationMs: Date.now() - started };
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
