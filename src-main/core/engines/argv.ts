/**
 * Command lines for each external engine: the build itself, and getting its image out as an archive the
 * content store imports. Pure functions, so each flag mapping is unit-tested without the binaries.
 */
import { join } from 'node:path';
import type { ExternalBuildSpec, ExternalEngineConfig, ExternalEngineName } from './types';

export interface Invocation {
  argv: string[];
}

/** The image's archive and the file the engine writes its image id to, both in the build's work folder. */
export function outputPaths(spec: ExternalBuildSpec): { iidfile: string; archive: string } {
  return { iidfile: join(spec.workDir, 'image-id'), archive: join(spec.workDir, 'image.tar') };
}

export function isMultiPlatform(spec: ExternalBuildSpec): boolean {
  return spec.platforms.length > 1;
}

/** Flags buildah and podman share (podman build is buildah underneath). */
function containersStorageGlobals(config: ExternalEngineConfig): string[] {
  const args: string[] = [];
  if (config.storageDriver) args.push('--storage-driver', config.storageDriver);
  if (config.root) args.push('--root', config.root);
  if (config.runroot) args.push('--runroot', config.runroot);
  return args;
}

/** Build args, labels, target, no-cache: the same spelling in all three engines. */
function commonBuildFlags(spec: ExternalBuildSpec): string[] {
  const args = ['-f', spec.dockerfilePath, '--iidfile', outputPaths(spec).iidfile];
  for (const [key, value] of Object.entries(spec.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(spec.labels)) args.push('--label', `${key}=${value}`);
  if (spec.target !== undefined) args.push('--target', spec.target);
  if (spec.noCache) args.push('--no-cache');
  if (spec.platforms.length > 0) args.push('--platform', spec.platforms.join(','));
  return args;
}

/**
 * buildah and podman: `--layers` keeps each step as an image, which is their step cache (off by default in
 * buildah bud). A multi-platform build goes into a manifest list named after the build, pushed as a whole.
 */
function containersBuild(verb: 'bud' | 'build', spec: ExternalBuildSpec, config: ExternalEngineConfig): Invocation {
  const args = [...containersStorageGlobals(config), verb, '--layers'];
  if (config.isolation) args.push('--isolation', config.isolation);
  if (config.pull) args.push(`--pull=${config.pull}`);
  args.push(...commonBuildFlags(spec));
  if (isMultiPlatform(spec)) args.push('--manifest', spec.buildName);
  else for (const tag of spec.tags) args.push('-t', tag);
  args.push(spec.contextDir);
  return { argv: args };
}

export function buildahBuild(spec: ExternalBuildSpec, config: ExternalEngineConfig = {}): Invocation {
  return containersBuild('bud', spec, config);
}

export function podmanBuild(spec: ExternalBuildSpec, config: ExternalEngineConfig = {}): Invocation {
  return containersBuild('build', spec, config);
}

/**
 * BuildKit through buildx, progress as raw JSON. One platform is loaded into the daemon and saved from
 * there; several cannot be loaded into the classic image store, so BuildKit writes an OCI archive itself.
 */
export function dockerBuild(spec: ExternalBuildSpec, config: ExternalEngineConfig = {}): Invocation {
  const args = ['buildx', 'build', '--progress=rawjson'];
  if (config.pull === 'always') args.push('--pull');
  args.push(...commonBuildFlags(spec));
  for (const tag of spec.tags) args.push('-t', tag);
  if (isMultiPlatform(spec)) args.push('--output', `type=oci,dest=${outputPaths(spec).archive}`);
  else args.push('--load');
  args.push(spec.contextDir);
  return { argv: args };
}

/** How the built image leaves the engine as an archive `importImages` reads (none: BuildKit wrote it). */
export function exportImage(
  engine: ExternalEngineName,
  spec: ExternalBuildSpec,
  imageId: string,
  config: ExternalEngineConfig = {},
): Invocation | null {
  const { archive } = outputPaths(spec);
  const multi = isMultiPlatform(spec);
  switch (engine) {
    case 'docker':
      return multi ? null : { argv: ['save', '-o', archive, imageId] };
    case 'podman':
      return multi
        ? pushManifestList(spec, archive, config)
        : { argv: [...containersStorageGlobals(config), 'save', '--format', 'oci-archive', '-o', archive, imageId] };
    case 'buildah':
      return multi
        ? pushManifestList(spec, archive, config)
        : { argv: [...containersStorageGlobals(config), 'push', '--quiet', imageId, `oci-archive:${archive}`] };
  }
}

/** podman and buildah write a multi-platform build's manifest list, with every image, as one OCI archive. */
function pushManifestList(spec: ExternalBuildSpec, archive: string, config: ExternalEngineConfig): Invocation {
  return {
    argv: [...containersStorageGlobals(config), 'manifest', 'push', '--all', spec.buildName, `oci-archive:${archive}`],
  };
}

/** Drops the build's manifest list from the engine's storage (its images stay, as the step cache). */
export function removeManifestList(
  engine: ExternalEngineName,
  spec: ExternalBuildSpec,
  config: ExternalEngineConfig = {},
): Invocation | null {
  if (engine === 'docker' || !isMultiPlatform(spec)) return null;
  return { argv: [...containersStorageGlobals(config), 'manifest', 'rm', spec.buildName] };
}

export function buildInvocation(
  engine: ExternalEngineName,
  spec: ExternalBuildSpec,
  config: ExternalEngineConfig = {},
): Invocation {
  switch (engine) {
    case 'docker':
      return dockerBuild(spec, config);
    case 'podman':
      return podmanBuild(spec, config);
    case 'buildah':
      return buildahBuild(spec, config);
  }
}
