/**
 * The build service's way to an engine: lists what can build here, picks the engine for a build (the one
 * asked for, or `auto`), and runs it with the same request and progress events whichever it is.
 */
import { join } from 'node:path';
import { buildImage, type BuildEngine, type BuildRequest } from '../build/execute/build';
import { selectEngine, type EngineDetector } from './detect';
import { hostCanEmulate } from './emulation';
import { runExternalBuild } from './external';
import { buildForPlatforms, emulatedSteps, imageSize, isHostPlatform, runSteps } from './native-platforms';
import type { EngineChoice, EngineName, EngineStatus, EnginesConfig } from './types';

export interface EnginesOptions {
  detector: EngineDetector;
  config?: EnginesConfig;
  /** Scratch space for external builds' image archives (large: not tmpfs). */
  workDir: string;
  /** Whether external engines can run these platforms' binaries here (binfmt_misc by default). */
  canEmulate?: (platforms: readonly string[]) => boolean;
}

export type SelectRequest = Pick<BuildRequest, 'dockerfile' | 'buildArgs' | 'target'> & {
  platforms: readonly string[];
};

export interface DispatchRequest extends BuildRequest {
  platforms: readonly string[];
  /** A name unique to the build, for engine-side scratch names. */
  buildId: string;
}

export interface DispatchResult {
  engine: EngineName;
  digest: string;
  size: number;
}

export class Engines {
  constructor(private readonly options: EnginesOptions) {}

  list(): Promise<EngineStatus[]> {
    return this.options.detector.list();
  }

  /**
   * Which engine would build this now: the choice, or for `auto` native unless a step needs emulation.
   * Throws (UNAVAILABLE, UNSUPPORTED naming the RUN lines) when none can.
   */
  async select(choice: EngineChoice, request: SelectRequest): Promise<EngineName> {
    const options = {
      ...(request.buildArgs ? { buildArgs: request.buildArgs } : {}),
      ...(request.target === undefined ? {} : { target: request.target }),
    };
    const runs = runSteps(request.dockerfile, options);
    const steps = emulatedSteps(request.dockerfile, request.platforms, options);
    // Native without its sandbox still builds what has no RUN (COPY and metadata need no sandbox).
    const nativeCan = runs.length === 0 || this.options.detector.nativeStatus().available;
    if ((choice === 'auto' || choice === 'native') && nativeCan && steps.length === 0) return 'native';
    const statuses = (await this.list()).map((s) =>
      s.name === 'native' && runs.length === 0 ? { ...s, available: true } : s,
    );
    const emulates = this.options.canEmulate ?? hostCanEmulate;
    return selectEngine(choice, statuses, { steps, available: () => emulates(request.platforms) });
  }

  async build(engineName: EngineName, native: BuildEngine, request: DispatchRequest): Promise<DispatchResult> {
    if (engineName === 'native') {
      if (request.platforms.length === 0 || (request.platforms.length === 1 && isHostPlatform(request.platforms[0]!))) {
        const result = await buildImage(native, request);
        return {
          engine: 'native',
          digest: result.digest,
          size: await imageSize(native.store, result.image.descriptor),
        };
      }
      const result = await buildForPlatforms(native, request, request.platforms);
      return { engine: 'native', digest: result.digest, size: result.size };
    }
    const binary = await this.options.detector.binary(engineName);
    const result = await runExternalBuild({
      engine: engineName,
      binary: binary ?? engineName,
      config: this.options.config?.[engineName] ?? {},
      store: native.store,
      dockerfile: request.dockerfile,
      spec: {
        contextDir: request.contextDir,
        tags: request.tags ?? [],
        buildArgs: request.buildArgs ?? {},
        labels: request.labels ?? {},
        ...(request.target === undefined ? {} : { target: request.target }),
        platforms: [...request.platforms],
        noCache: request.noCache ?? false,
        workDir: join(this.options.workDir, request.buildId),
        buildName: `govc-build-${request.buildId}`,
      },
      ...(request.signal ? { signal: request.signal } : {}),
      onEvent: (event) => request.onEvent?.(event),
    }).catch((err: unknown) => {
      // The daemon or storage may be what failed: probe again next time rather than trust the cache.
      this.options.detector.invalidate();
      throw err;
    });
    return { engine: engineName, digest: result.digest, size: result.size };
  }
}
