/**
 * The reference tools the differential test runs: buildah builds the same Dockerfile in its own storage
 * (vfs driver, chroot isolation, never pulling), skopeo and umoci read and unpack OCI layouts. buildah
 * builds in Docker format because its OCI format drops HEALTHCHECK, ONBUILD and SHELL; its config is read
 * with `buildah inspect`, which reports them, and its rootfs is pushed as an OCI layout and unpacked.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ContainerConfig } from '../oci/types';

const run = promisify(execFile);
const BIG = { maxBuffer: 256 * 1024 * 1024 };

export interface PeerBuild {
  contextDir: string;
  dockerfilePath: string;
  tag: string;
  buildArgs?: Record<string, string>;
  target?: string;
  /** `--layers`: buildah's step cache (off by default, as in `buildah bud`). */
  layers?: boolean;
}

export class Buildah {
  constructor(
    private readonly root: string,
    private readonly runroot: string,
  ) {}

  private get global(): string[] {
    return ['--storage-driver', 'vfs', '--root', this.root, '--runroot', this.runroot];
  }

  /** Puts an image from an OCI layout into buildah's storage under `name` (e.g. `busybox:latest`). */
  async load(layout: string, ref: string, name: string): Promise<void> {
    await tool('skopeo', [
      'copy',
      '--quiet',
      `oci:${layout}:${ref}`,
      `containers-storage:[vfs@${this.root}+${this.runroot}]docker.io/library/${name}`,
    ]);
  }

  async bud(build: PeerBuild): Promise<void> {
    const args = [
      ...this.global,
      'bud',
      '--isolation',
      'chroot',
      '--pull=never',
      '--format',
      'docker',
      '--quiet',
      `--layers=${build.layers ?? false}`,
      '-f',
      build.dockerfilePath,
      '-t',
      build.tag,
    ];
    for (const [k, v] of Object.entries(build.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    if (build.target) args.push('--target', build.target);
    await tool('buildah', [...args, build.contextDir]);
  }

  async push(name: string, layout: string, ref: string): Promise<void> {
    await tool('buildah', [...this.global, 'push', '--quiet', name, `oci:${layout}:${ref}`]);
  }

  async config(name: string): Promise<ContainerConfig> {
    const out = await tool('buildah', [...this.global, 'inspect', '--type', 'image', name]);
    return (JSON.parse(out) as { Docker: { config: ContainerConfig } }).Docker.config;
  }

  async remove(name: string): Promise<void> {
    await tool('buildah', [...this.global, 'rmi', '--force', name]).catch(() => undefined);
  }
}

export async function umociUnpack(layout: string, ref: string, bundle: string): Promise<void> {
  await tool('umoci', ['unpack', '--image', `${layout}:${ref}`, bundle]);
}

export async function skopeoInspect(layout: string, ref: string): Promise<{ Digest: string }> {
  return JSON.parse(await tool('skopeo', ['inspect', `oci:${layout}:${ref}`])) as { Digest: string };
}

export async function tool(command: string, args: string[]): Promise<string> {
  try {
    return (await run(command, args, BIG)).stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed:\n${output || e.message}`, { cause: err });
  }
}
