/**
 * Whether an external engine can run another platform's binaries here: on Linux only when qemu is
 * registered with binfmt_misc for that architecture (docker, podman and buildah all rely on it); on macOS
 * and Windows the engines run in a Linux VM that ships with it.
 */
import { existsSync } from 'node:fs';
import { parsePlatform, isHostPlatform } from './native-platforms';

/** OCI architecture names → the names qemu registers its binfmt handlers under. */
const QEMU_ARCH: Record<string, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'arm',
  '386': 'i386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64le: 'mips64el',
};

export function hostCanEmulate(platforms: readonly string[], binfmtDir = '/proc/sys/fs/binfmt_misc'): boolean {
  if (process.platform !== 'linux') return true;
  return platforms
    .filter((p) => !isHostPlatform(p))
    .every((p) => {
      const arch = parsePlatform(p).architecture;
      return existsSync(`${binfmtDir}/qemu-${QEMU_ARCH[arch] ?? arch}`);
    });
}
