/**
 * Multi-platform builds on the native engine. Without emulation it can build for another platform only
 * what needs no foreign code to run: FROM scratch or a multi-platform base, COPY/ADD and metadata. Each
 * platform is an ordinary build whose view of the store narrows every base image index to that platform
 * (and refuses a single-platform base of another one); the images are then joined in an OCI index.
 */
import { GovcError } from '../../../src-shared/errors';
import { buildImage, type BuildEngine, type BuildRequest } from '../build/execute/build';
import { planStages } from '../build/dockerfile/graph';
import { parseDockerfile } from '../build/dockerfile/parse';
import { hostPlatform, putImage, type StoredImage } from '../build/oci/image';
import { MediaType, type Descriptor, type ImageIndex, type ImageManifest, type Platform } from '../build/oci/types';
import type { ContentStore } from '../build/store/content-store';
import type { Digest } from '../build/store/digest';

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) throw new GovcError('VALIDATION_FAILED', `Invalid platform ${text}: expected os/arch`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

export function isHostPlatform(text: string): boolean {
  const host = hostPlatform();
  const p = parsePlatform(text);
  return p.os === host.os && p.architecture === host.architecture;
}

export interface StageOptions {
  buildArgs?: Record<string, string>;
  target?: string;
}

/** The RUN lines of the stages the target needs, as `line N: RUN …`. */
export function runSteps(dockerfile: string, options: StageOptions = {}): string[] {
  const buildArgs = options.buildArgs ?? {};
  const { dockerfile: parsed } = parseDockerfile(dockerfile, { buildArgs });
  const graph = planStages(parsed, { buildArgs, ...(options.target === undefined ? {} : { target: options.target }) });
  return graph.order.flatMap((index) =>
    parsed.stages[index]!.instructions.filter((i) => i.kind === 'RUN').map(
      (i) => `line ${i.range.startLine}: ${i.original}`,
    ),
  );
}

/**
 * The RUN lines this build would have to run under emulation: all of them when some platform asked for is
 * not the host's. Empty when the native engine can build it all.
 */
export function emulatedSteps(dockerfile: string, platforms: readonly string[], options: StageOptions = {}): string[] {
  return platforms.every(isHostPlatform) ? [] : runSteps(dockerfile, options);
}

export interface PlatformBuildResult {
  descriptor: Descriptor;
  digest: Digest;
  size: number;
}

/** Builds each platform in turn (step ids continue across them) and tags the index, or the one image. */
export async function buildForPlatforms(
  engine: BuildEngine,
  request: BuildRequest,
  platforms: readonly string[],
): Promise<PlatformBuildResult> {
  const foreign = emulatedSteps(request.dockerfile, platforms, {
    ...(request.buildArgs ? { buildArgs: request.buildArgs } : {}),
    ...(request.target === undefined ? {} : { target: request.target }),
  });
  if (foreign.length > 0) {
    const others = platforms.filter((p) => !isHostPlatform(p));
    throw new GovcError(
      'UNSUPPORTED',
      `Building for ${others.join(', ')} would run these steps under emulation, which the native engine does not have: ${foreign.join('; ')}. Use an external engine (docker, podman or buildah with qemu) or build those platforms elsewhere.`,
      { platforms: others, steps: foreign },
    );
  }
  const images: Array<{ image: StoredImage; platform: Platform }> = [];
  let idOffset = 0;
  for (const text of platforms) {
    const platform = parsePlatform(text);
    let maxId = 0;
    const result = await buildImage(
      { ...engine, store: platformView(engine.store, platform) },
      {
        ...request,
        tags: [],
        onEvent: (event) => {
          if (event.type === 'image' || event.type === 'export') return;
          const id = event.id + idOffset;
          maxId = Math.max(maxId, event.id);
          request.onEvent?.(
            event.type === 'step' && platforms.length > 1
              ? { ...event, id, stage: `${text} ${event.stage}` }
              : { ...event, id },
          );
        },
      },
    );
    idOffset += maxId;
    images.push({ image: await withPlatform(engine.store, result.image, platform), platform });
  }
  const tags = request.tags ?? [];
  if (images.length === 1) {
    const { image } = images[0]!;
    for (const tag of tags) await engine.store.tag(tag, image.descriptor);
    return {
      descriptor: image.descriptor,
      digest: image.descriptor.digest,
      size: await imageSize(engine.store, image.descriptor),
    };
  }
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.index,
    manifests: images.map(({ image, platform }) => ({
      mediaType: image.descriptor.mediaType,
      digest: image.descriptor.digest,
      size: image.descriptor.size,
      platform,
    })),
  };
  const descriptor = await engine.store.putJson(index, MediaType.index);
  for (const tag of tags) await engine.store.tag(tag, descriptor);
  return { descriptor, digest: descriptor.digest, size: await imageSize(engine.store, descriptor) };
}

/**
 * The store as one platform's build sees it: an index lists only that platform's manifest (so the
 * engine's base lookup takes it), and an image config of another platform is refused, since its
 * binaries could not run and a COPY-only image on top would lie about its platform.
 */
function platformView(store: ContentStore, platform: Platform): ContentStore {
  const matches = (p: Partial<Platform> | undefined) =>
    p?.os === platform.os &&
    p.architecture === platform.architecture &&
    (platform.variant === undefined || p.variant === undefined || p.variant === platform.variant);
  const getJson = async (digest: Digest): Promise<unknown> => {
    const doc = await store.getJson<Record<string, unknown>>(digest);
    if (Array.isArray(doc.manifests)) {
      const manifests = (doc as unknown as ImageIndex).manifests.filter((m) => matches(m.platform));
      if (manifests.length === 0)
        throw new GovcError('UNSUPPORTED', `The base image index ${digest} has no ${formatPlatform(platform)} image`, {
          platform: formatPlatform(platform),
        });
      return { ...doc, manifests };
    }
    if (doc.rootfs !== undefined && typeof doc.architecture === 'string' && !matches(doc as Partial<Platform>))
      throw new GovcError(
        'UNSUPPORTED',
        `A base image is ${String(doc.os)}/${doc.architecture} only, so it cannot be the base of a ${formatPlatform(platform)} image: use a multi-platform base`,
        { platform: formatPlatform(platform) },
      );
    return doc;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'getJson') return getJson;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** FROM scratch starts from the host's platform; a foreign platform's image gets its own in the config. */
async function withPlatform(store: ContentStore, image: StoredImage, platform: Platform): Promise<StoredImage> {
  const config = image.config;
  if (config.os === platform.os && config.architecture === platform.architecture && config.variant === platform.variant)
    return image;
  const { variant: _variant, ...rest } = config;
  return putImage(store, { ...rest, ...platform }, image.manifest.layers);
}

/** Bytes of an image or index: manifests, configs and compressed layers, each blob counted once. */
export async function imageSize(store: ContentStore, descriptor: Descriptor): Promise<number> {
  const seen = new Set<string>();
  const count = (d: { digest: string; size: number }) => (seen.has(d.digest) ? 0 : (seen.add(d.digest), d.size));
  let total = count(descriptor);
  const manifests =
    descriptor.mediaType === MediaType.index || descriptor.mediaType === MediaType.dockerManifestList
      ? (await store.getJson<ImageIndex>(descriptor.digest)).manifests
      : [descriptor];
  for (const m of manifests) {
    total += count(m);
    const manifest = await store.getJson<ImageManifest>(m.digest);
    total += count(manifest.config);
    for (const layer of manifest.layers) total += count(layer);
  }
  return total;
}
