/**
 * A build on an external engine: its binary builds the context folder the build service wrote out (never
 * the user's checkout), its progress becomes build events, and the image comes back into the content
 * store as an archive (`buildah push` / `podman save` / `docker save`, or the OCI archive BuildKit writes
 * for several platforms), so the images view, export, push and policy work as for native builds.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GovcError } from '../../../src-shared/errors';
import { importImages } from '../build/oci/import';
import type { Descriptor } from '../build/oci/types';
import type { ContentStore } from '../build/store/content-store';
import { buildInvocation, exportImage, outputPaths, removeManifestList } from './argv';
import { BuildKitProgress } from './buildkit-progress';
import { ContainersProgress } from './containers-progress';
import { imageSize } from './native-platforms';
import { runEngineProcess } from './process';
import type { EventSink, ExternalBuildSpec, ExternalEngineConfig, ExternalEngineName, ProgressParser } from './types';

export interface ExternalBuild {
  engine: ExternalEngineName;
  binary: string;
  config: ExternalEngineConfig;
  store: ContentStore;
  dockerfile: string;
  spec: Omit<ExternalBuildSpec, 'dockerfilePath'>;
  signal?: AbortSignal;
  onEvent: EventSink;
}

export interface ExternalBuildResult {
  descriptor: Descriptor;
  digest: string;
  size: number;
}

export function progressParser(engine: ExternalEngineName, emit: EventSink): ProgressParser {
  return engine === 'docker' ? new BuildKitProgress(emit) : new ContainersProgress(emit);
}

export async function runExternalBuild(build: ExternalBuild): Promise<ExternalBuildResult> {
  const { engine, binary, config, store } = build;
  await mkdir(build.spec.workDir, { recursive: true });
  const spec: ExternalBuildSpec = { ...build.spec, dockerfilePath: join(build.spec.workDir, 'Dockerfile') };
  try {
    // Beside the context, not in it: the Dockerfile may live outside the context folder in the repository.
    await writeFile(spec.dockerfilePath, build.dockerfile);
    const parser = progressParser(engine, build.onEvent);
    const env = config.env ?? {};
    const outcome = await runEngineProcess(binary, buildInvocation(engine, spec, config).argv, {
      env,
      ...(build.signal ? { signal: build.signal } : {}),
      onLine: (line) => parser.line(line),
    });
    parser.end(outcome);
    if (outcome.cancelled) throw new GovcError('CANCELLED', 'The build was cancelled');
    if (outcome.code !== 0) {
      const message = parser.errorMessage() ?? `${engine} exited with status ${outcome.code}`;
      throw new GovcError(/exit (status|code):? \d+/.test(message) ? 'RUN_FAILED' : 'BUILD_FAILED', message, {
        engine,
        exitCode: outcome.code,
      });
    }
    const { iidfile, archive } = outputPaths(spec);
    const imageId = (await readFile(iidfile, 'utf8').catch(() => '')).trim();
    const exporting = exportImage(engine, spec, imageId, config);
    if (exporting) await runQuiet(engine, binary, exporting.argv, env, build.signal);
    const imported = await importImages(store, archive);
    const descriptor = imported[0]?.descriptor;
    if (!descriptor) throw new GovcError('BAD_ARCHIVE', `${engine} exported no image`);
    for (const tag of spec.tags) await store.tag(tag, descriptor);
    return { descriptor, digest: descriptor.digest, size: await imageSize(store, descriptor) };
  } finally {
    const cleanup = removeManifestList(engine, spec, config);
    if (cleanup) await runQuiet(engine, binary, cleanup.argv, config.env ?? {}).catch(() => undefined);
    await rm(build.spec.workDir, { recursive: true, force: true });
  }
}

/** A helper command (save, push, manifest rm): its output only matters when it fails. */
async function runQuiet(
  engine: ExternalEngineName,
  binary: string,
  argv: string[],
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  const lines: string[] = [];
  const outcome = await runEngineProcess(binary, argv, {
    env,
    ...(signal ? { signal } : {}),
    onLine: (line) => lines.push(line),
  });
  if (outcome.cancelled) throw new GovcError('CANCELLED', 'The build was cancelled');
  if (outcome.code !== 0)
    throw new GovcError('BUILD_FAILED', `${engine} ${argv.join(' ')} failed: ${lines.slice(-5).join('\n')}`, {
      engine,
      exitCode: outcome.code,
    });
}
