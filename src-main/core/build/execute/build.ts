/**
 * A build from a Dockerfile and a context folder to an image in the store: parse, pick the target stage
 * and the stages it needs, run them in order (bases from earlier stages, `scratch`, or images already in
 * the local store), and write the final image with its tags.
 */
import { availableParallelism } from 'node:os';
import { GovcError } from '../../../../src-shared/errors';
import { findBaseStage, resolveStage, type ResolvedStage } from '../dockerfile/expand';
import { planStages } from '../dockerfile/graph';
import { parseDockerfile } from '../dockerfile/parse';
import type { DockerfileProblem, ParsedDockerfile } from '../dockerfile/types';
import { emptyImageConfig, isoTime, loadImage, putImage, type StoredImage } from '../oci/image';
import type { CacheIndex } from '../plan/cache-index';
import type { Executor } from '../sandbox/executor';
import { createScratch, materialise, type Scratch } from '../sandbox/rootfs';
import type { ContentStore } from '../store/content-store';
import type { Digest } from '../store/digest';
import type { BuildEvent } from './events';
import type { MountSources } from './mounts';
import { runBounded } from './parallel';
import { DEFAULT_DOWNLOAD_LIMITS, RemoteSources, type DownloadLimits } from './remote';
import type { BuildServices } from './services';
import { listContext, type SourceFolder } from './sources';
import { StageRunner, stepCount, type StageBase, type StageOutput } from './stage';

export interface BuildEngine {
  store: ContentStore;
  cache: CacheIndex;
  executor: Executor;
  dataDir: string;
  /**
   * Brings an image that is not in the store into it (the registry client's pull) and returns its name
   * there. Without it, FROM takes local images only.
   */
  resolveImage?: (ref: string) => Promise<string>;
}

export interface BuildRequest {
  contextDir: string;
  dockerfile: string;
  dockerfileName?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  tags?: string[];
  noCache?: boolean;
  /** Seconds; also every layer mtime's upper bound. Defaults to 0 so builds are reproducible. */
  sourceDateEpoch?: number;
  signal?: AbortSignal;
  onEvent?: (event: BuildEvent) => void;
  /**
   * How many independent stages (one wave of the stage graph) run at once; defaults to the CPU count, at
   * most 2, since each RUN is itself a process tree and each rootfs a folder in RAM.
   */
  stageConcurrency?: number;
  /** Caps for `ADD <url>` downloads (defaults: 2 GiB, 10 minutes). */
  downloadLimits?: Partial<DownloadLimits>;
}

export interface BuildResult {
  image: StoredImage;
  digest: Digest;
  tags: string[];
  steps: number;
  cachedSteps: number;
}

export async function buildImage(engine: BuildEngine, request: BuildRequest): Promise<BuildResult> {
  const { dockerfile: parsed, problems } = parseDockerfile(request.dockerfile, { buildArgs: request.buildArgs ?? {} });
  throwProblems(problems, request.dockerfileName);
  const graph = planStages(parsed, {
    buildArgs: request.buildArgs ?? {},
    ...(request.target === undefined ? {} : { target: request.target }),
  });
  throwProblems(graph.problems, request.dockerfileName);
  const targetIndex = graph.target;
  let nextId = 0;
  let steps = 0;
  // One stage's failure or the caller's cancel stops the stages running beside it.
  const stop = new AbortController();
  const cancel = () => stop.abort();
  if (request.signal?.aborted) stop.abort();
  else request.signal?.addEventListener('abort', cancel, { once: true });
  let cachedSteps = 0;
  const services: BuildServices = {
    ...engine,
    dockerfileName: request.dockerfileName ?? 'Dockerfile',
    sourceDateEpoch: request.sourceDateEpoch ?? 0,
    noCache: request.noCache ?? false,
    signal: stop.signal,
    onEvent: (event) => {
      if (event.type === 'step') steps++;
      if (event.type === 'cached') cachedSteps++;
      request.onEvent?.(event);
    },
    nextId: () => ++nextId,
    remote: new RemoteSources({ ...DEFAULT_DOWNLOAD_LIMITS, ...request.downloadLimits }, stop.signal),
  };

  const outputs = new Map<number, { output: StageOutput; resolved: ResolvedStage }>();
  const imageRoots = new Map<string, Promise<Scratch>>();
  const stageOf = (from: string): number | undefined => {
    if (/^\d+$/.test(from)) return Number(from);
    return parsed.stages.find((s) => s.name === from.toLowerCase())?.index;
  };
  let contextListing: Promise<SourceFolder> | undefined;
  const sources: MountSources = {
    context: request.contextDir,
    contextFolder: () => (contextListing ??= listContext(request.contextDir, services.dockerfileName)),
    folder: async (from) => {
      const index = stageOf(from);
      if (index !== undefined) return needOutput(index).output.work.path();
      // One promise per image, so two stages running at once share one materialised copy.
      let scratch = imageRoots.get(from);
      if (!scratch) {
        scratch = (async () => {
          const image = await loadBaseImage(engine, from);
          const made = await createScratch();
          try {
            await materialise(engine.store, image.manifest.layers, made.rootfs);
          } catch (err) {
            await made.dispose();
            throw err;
          }
          return made;
        })();
        imageRoots.set(from, scratch);
      }
      return (await scratch).rootfs;
    },
    identity: async (from) => {
      const index = stageOf(from);
      if (index !== undefined) return needOutput(index).output.key;
      return (await loadBaseImage(engine, from)).descriptor.digest;
    },
  };
  const needOutput = (index: number) => {
    const done = outputs.get(index);
    // planStages orders dependencies first, so this trips only on an engine bug, never on a Dockerfile.
    if (!done) throw new GovcError('INTERNAL', `Stage ${index} is used before it is built`);
    return done;
  };

  /** Resolves a stage against the outputs of earlier waves and reserves its step ids; returns its run. */
  const prepareStage = async (index: number): Promise<() => Promise<void>> => {
    const options = { buildArgs: request.buildArgs ?? {} };
    const probe = resolveStage(parsed, index, { ...options, ...parentOption(parsed, index, outputs) });
    let base: StageBase;
    if (probe.baseStage !== undefined) {
      const parent = needOutput(probe.baseStage).output;
      base = { config: parent.config, layers: parent.layers, key: parent.key, text: `FROM ${probe.base}` };
    } else if (probe.base.toLowerCase() === 'scratch') {
      base = {
        config: { ...emptyImageConfig(), created: isoTime(services.sourceDateEpoch) },
        layers: [],
        key: 'scratch',
        text: 'FROM scratch',
      };
    } else {
      const image = await loadBaseImage(engine, probe.base);
      base = {
        config: image.config,
        layers: image.manifest.layers,
        key: `image:${image.descriptor.digest}`,
        text: `FROM ${probe.base}@${image.descriptor.digest.slice(0, 19)}`,
      };
    }
    const resolved = resolveStage(parsed, index, {
      ...options,
      ...parentOption(parsed, index, outputs),
      baseImageEnv: base.config.config.Env ?? [],
      baseImageOnBuild: probe.baseStage === undefined ? (base.config.config.OnBuild ?? []) : [],
    });
    throwProblems(resolved.problems, request.dockerfileName);
    let stageNextId = nextId;
    nextId += stepCount(resolved);
    const stageServices: BuildServices = { ...services, nextId: () => ++stageNextId };
    return async () => {
      const output = await new StageRunner(stageServices, resolved, base, sources).run(base);
      outputs.set(index, { output, resolved });
    };
  };

  try {
    const concurrency = Math.max(1, request.stageConcurrency ?? Math.min(2, availableParallelism()));
    for (const wave of graph.waves) {
      throwIfCancelled(stop.signal);
      // Prepared one by one in index order, so each stage's step ids are the same however the wave runs.
      const runs: Array<() => Promise<void>> = [];
      for (const index of wave) runs.push(await prepareStage(index));
      await runBounded(runs, concurrency, stop);
    }
    const final = needOutput(targetIndex).output;
    const config = structuredClone(final.config);
    config.created = isoTime(services.sourceDateEpoch);
    if (request.labels && Object.keys(request.labels).length > 0)
      config.config.Labels = { ...config.config.Labels, ...request.labels };
    const image = await putImage(engine.store, config, final.layers);
    const tags = request.tags ?? [];
    for (const tag of tags) await engine.store.tag(tag, image.descriptor);
    services.onEvent?.({ type: 'image', digest: image.descriptor.digest, tags });
    return { image, digest: image.descriptor.digest, tags, steps, cachedSteps };
  } finally {
    request.signal?.removeEventListener('abort', cancel);
    await engine.cache.save();
    for (const { output } of outputs.values()) await output.work.dispose();
    for (const scratch of imageRoots.values()) await (await scratch.catch(() => undefined))?.dispose();
    await services.remote.dispose();
  }
}

/** A stage based on another stage resolves on top of that stage's resolution (env, ARGs, ONBUILD). */
function parentOption(
  parsed: ParsedDockerfile,
  index: number,
  outputs: Map<number, { resolved: ResolvedStage }>,
): { parent?: ResolvedStage } {
  // parseDockerfile was given the build args, so every stage's base is already expanded.
  const baseStage = findBaseStage(parsed, index, parsed.stages[index]!.base);
  const parent = baseStage === undefined ? undefined : outputs.get(baseStage)?.resolved;
  return parent ? { parent } : {};
}

/** A base image from the store; one that is not there is pulled through `engine.resolveImage`, if any. */
async function loadBaseImage(engine: BuildEngine, ref: string): Promise<StoredImage> {
  try {
    return await loadLocalImage(engine.store, ref);
  } catch (err) {
    if (engine.resolveImage === undefined || (err as GovcError).code !== 'IMAGE_NOT_FOUND') throw err;
  }
  return loadImage(engine.store, await engine.resolveImage(ref));
}

/** Images of the local store: `busybox` also finds `busybox:latest` and docker.io spellings. */
export async function loadLocalImage(store: ContentStore, ref: string): Promise<StoredImage> {
  const bare = ref.replace(/^(docker\.io\/)?(library\/)?/, '');
  const lastSlash = bare.lastIndexOf('/');
  const tagged = bare.includes('@') || bare.indexOf(':', lastSlash + 1) !== -1 ? bare : `${bare}:latest`;
  for (const candidate of [ref, bare, tagged, `docker.io/library/${tagged}`, `docker.io/${tagged}`]) {
    if (store.resolve(candidate)) return loadImage(store, candidate);
  }
  throw new GovcError(
    'IMAGE_NOT_FOUND',
    `FROM ${ref}: not in the local store, and this build has no registry client to pull it. ` +
      `Import it first, e.g. skopeo copy docker://${ref} oci:<data>/store:${tagged}`,
    { ref },
  );
}

function throwProblems(problems: DockerfileProblem[], file = 'Dockerfile'): void {
  if (problems.length === 0) return;
  const lines = problems.map((p) => `${file}:${p.range.startLine}: ${p.message} (${p.code})`);
  throw new GovcError('DOCKERFILE_INVALID', lines.join('\n'), { problems });
}

/** Cancellation between steps reports the same code as cancellation inside a RUN. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new GovcError('CANCELLED', 'The build was cancelled');
}
