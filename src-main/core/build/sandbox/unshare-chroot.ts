/**
 * The fallback RUN executor for Linux hosts without bubblewrap, run as root: util-linux `unshare` gives the
 * command its own mount, PID, IPC, UTS (and unless `network=host`, network) namespaces; a small POSIX shell
 * script inside them mounts /proc, a minimal /dev and the step's mounts under the rootfs, then `unshare
 * --root --wd --setgid --setuid` chroots, changes directory, drops to the step's user and execs the command
 * with exactly the step's environment. Everything mounted lives in the private mount namespace and is gone
 * when the command ends; the host sees none of it.
 */
import { spawnSync } from 'node:child_process';
import { GovcError } from '../../../../src-shared/errors';
import type { Availability, Executor, RunOutcome, RunSpec } from './executor';
import { cancelled, spawnSandbox, withMountStubs } from './run-support';

/** The sandbox program's PATH: where Debian and friends keep mount, env, hostname and ip. */
const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * $1 rootfs, $2 network, $3 mount count, then 4 words per mount (kind, source or size, target, ro), then
 * `env -i`'s arguments: the step's KEY=value pairs and the final `unshare --root … -- argv`.
 */
const SETUP_SCRIPT = `set -eu
root=$1 net=$2 n=$3
shift 3
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t tmpfs -o nosuid,mode=0755,size=65536k govc-dev "$root/dev"
for d in null zero full random urandom tty; do
  : > "$root/dev/$d"
  mount --bind "/dev/$d" "$root/dev/$d"
done
mkdir "$root/dev/shm" "$root/dev/pts"
mount -t tmpfs -o nosuid,nodev,mode=1777 govc-shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
if [ "$net" != host ]; then ip link set lo up 2>/dev/null || true; fi
hostname govc-build 2>/dev/null || true
while [ "$n" -gt 0 ]; do
  kind=$1 arg=$2 target=$3 ro=$4
  shift 4
  case $target in /dev/*)
    # Under the fresh /dev the mount point does not exist yet: make it (a file for a file bind).
    mkdir -p "$root\${target%/*}"
    if [ "$kind" = tmpfs ] || [ -d "$arg" ]; then mkdir -p "$root$target"; elif [ ! -e "$root$target" ]; then : > "$root$target"; fi
  esac
  if [ "$kind" = tmpfs ]; then
    if [ -n "$arg" ]; then mount -t tmpfs -o "size=$arg" govc-tmpfs "$root$target"
    else mount -t tmpfs govc-tmpfs "$root$target"; fi
  else
    mount --bind "$arg" "$root$target"
    if [ "$ro" = 1 ]; then mount -o remount,bind,ro "$root$target"; fi
  fi
  n=$((n - 1))
done
exec env -i "$@"
`;

export class UnshareChrootExecutor implements Executor {
  readonly name = 'unshare-chroot';
  private available: Availability | undefined;

  constructor(private readonly unshare = 'unshare') {}

  availability(): Availability {
    if (this.available) return this.available;
    this.available = probe(this.unshare);
    return this.available;
  }

  async run(spec: RunSpec): Promise<RunOutcome> {
    const available = this.availability();
    if (!available.ok) throw new GovcError('SANDBOX_UNAVAILABLE', available.reason);
    if (spec.signal?.aborted) throw cancelled();
    const started = Date.now();
    await withMountStubs(spec, () =>
      spawnSandbox(spec, {
        command: this.unshare,
        args: unshareArgs(spec, this.unshare),
        label: 'unshare',
        env: { PATH: HOST_PATH },
      }),
    );
    return { durationMs: Date.now() - started };
  }
}

export function unshareArgs(spec: RunSpec, unshare = 'unshare'): string[] {
  const namespaces = ['--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--ipc', '--uts'];
  if (spec.network !== 'host') namespaces.push('--net');
  const mounts = spec.mounts.flatMap((m) =>
    m.type === 'tmpfs'
      ? ['tmpfs', m.size === undefined ? '' : String(m.size), m.target, '0']
      : ['bind', m.source, m.target, m.readonly ? '1' : '0'],
  );
  // Only well-formed KEY=value pairs: anything else would be taken by env as the command.
  const env = spec.env.filter((pair) => pair.indexOf('=') > 0);
  const enter = [
    unshare,
    `--root=${spec.rootfs}`,
    `--wd=${spec.cwd}`,
    `--setgid=${spec.gid}`,
    `--setuid=${spec.uid}`,
    '--',
    ...spec.argv,
  ];
  return [
    ...namespaces,
    '--',
    '/bin/sh',
    '-c',
    SETUP_SCRIPT,
    'govc-sandbox',
    spec.rootfs,
    spec.network,
    String(spec.mounts.length),
    ...mounts,
    ...env,
    ...enter,
  ];
}

function probe(unshare: string): Availability {
  if (process.platform !== 'linux')
    return {
      ok: false,
      reason: `RUN needs a Linux sandbox and this is ${process.platform}: build on Linux (or in a Linux VM), or plug in an external engine such as buildah`,
    };
  if (process.getuid?.() !== 0)
    return {
      ok: false,
      reason: 'the unshare + chroot sandbox needs root (install bubblewrap to build as another user)',
    };
  // Namespaces can be refused (a container without CAP_SYS_ADMIN, a seccomp profile): try them once.
  const trial = spawnSync(unshare, ['--mount', '--pid', '--fork', '--ipc', '--uts', '--net', '--', 'true'], {
    stdio: 'ignore',
  });
  if (trial.error) return { ok: false, reason: 'util-linux unshare is not installed' };
  if (trial.status !== 0) return { ok: false, reason: 'this host refuses new namespaces to unshare' };
  return { ok: true };
}
