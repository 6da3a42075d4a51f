/**
 * What the policy checks on a built image, read from the engine's store: its runtime config (user, exposed
 * ports), the uid that user has in the image's own /etc/passwd, and the base images the build actually
 * resolved (reference and digest), which a Dockerfile only names.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { loadLocalImage } from '../build/execute/build';
import { parseDockerfile, planStages } from '../build/dockerfile';
import { loadImage, type StoredImage } from '../build/oci/image';
import type { Descriptor } from '../build/oci/types';
import type { ContentStore } from '../build/store/content-store';

export interface ResolvedBase {
  /** The stage's index and its FROM line. */
  stage: number;
  line: number;
  /** The reference with the build's arguments expanded, as the build resolved it. */
  ref: string;
  /** The manifest digest the reference has in the store; null when the store does not hold it. */
  digest: string | null;
  /** The base of the built image itself (the root of the target stage's chain), not of a builder stage. */
  final: boolean;
  /** For the final base: whether its layers are the first layers of the built image (it really is built on it). */
  verified: boolean;
}

export interface ImageFacts {
  digest: string;
  /** The image config's User ('' when unset: root). */
  user: string;
  /** The uid that user has in the image; null when the image cannot tell (a name without a passwd entry). */
  uid: number | null;
  /** ExposedPorts keys, as written in the config (`8080/tcp`). */
  ports: string[];
  bases: ResolvedBase[];
  /** The FROM line of the stage built (the target): where findings about the image as a whole point. */
  targetLine: number;
}

export interface BuiltFrom {
  dockerfile: string;
  args: Record<string, string>;
  target: string | null;
}

export async function readImageFacts(store: ContentStore, digest: string, from: BuiltFrom): Promise<ImageFacts> {
  const image = await loadImage(store, digest);
  const user = image.config.config.User ?? '';
  return {
    digest,
    user,
    uid: await uidOf(store, image.manifest.layers, user),
    ports: Object.keys(image.config.config.ExposedPorts ?? {}),
    ...(await resolveBases(store, image, from)),
  };
}

/**
 * The image bases of the stages the target needs, expanded with the build's arguments exactly as the build
 * planned them, and looked up in the store the way the build's FROM does.
 */
async function resolveBases(
  store: ContentStore,
  built: StoredImage,
  from: BuiltFrom,
): Promise<{ bases: ResolvedBase[]; targetLine: number }> {
  const { dockerfile: parsed } = parseDockerfile(from.dockerfile, { buildArgs: from.args });
  const graph = planStages(parsed, { buildArgs: from.args, ...(from.target === null ? {} : { target: from.target }) });
  let root = graph.target;
  while (graph.stages[root]?.baseStage !== undefined) root = graph.stages[root]!.baseStage!;
  const out: ResolvedBase[] = [];
  for (const index of graph.order) {
    const node = graph.stages[index]!;
    if (node.baseStage !== undefined || node.base.toLowerCase() === 'scratch') continue;
    const base = await loadLocalImage(store, node.base).catch(() => undefined);
    const layers = base?.manifest.layers ?? [];
    const final = index === root;
    out.push({
      stage: index,
      line: parsed.stages[index]!.from.range.startLine,
      ref: node.base,
      digest: base?.descriptor.digest ?? null,
      final,
      verified: final && base !== undefined && layers.every((l, i) => built.manifest.layers[i]?.digest === l.digest),
    });
  }
  return { bases: out, targetLine: parsed.stages[graph.target]?.from.range.startLine ?? 1 };
}

async function uidOf(store: ContentStore, layers: Descriptor[], user: string): Promise<number | null> {
  const name = user.split(':')[0]!;
  if (name === '') return 0;
  if (/^\d+$/.test(name)) return Number(name);
  const passwd = await readLayeredFile(store, layers, 'etc/passwd');
  const entry = passwd
    ?.split('\n')
    .map((line) => line.split(':'))
    .find((f) => f.length >= 4 && f[0] === name && /^\d+$/.test(f[2]!));
  return entry ? Number(entry[2]) : null;
}

const MAX_FILE = 1024 * 1024;

/**
 * A file of the image as its layers stack it: the topmost layer that has it, deletes it (a whiteout) or
 * hides its folder (an opaque whiteout) decides. Undefined when no layer has it or it is not a plain file.
 */
export async function readLayeredFile(
  store: ContentStore,
  layers: readonly Descriptor[],
  path: string,
): Promise<string | undefined> {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const base = path.slice(dir.length);
  for (let i = layers.length - 1; i >= 0; i--) {
    const found = await scanLayer(await store.get(layers[i]!.digest), path, dir, base);
    if (found !== 'absent') return found === 'gone' ? undefined : found;
  }
  return undefined;
}

async function scanLayer(blob: Buffer, path: string, dir: string, base: string): Promise<string | 'gone' | 'absent'> {
  const hidden = new Set([`${dir}.wh.${base}`, `${dir}.wh..wh..opq`]);
  // Any parent folder replaced by a whiteout also hides the file.
  const parts = dir.split('/').filter(Boolean);
  parts.forEach((p, i) => hidden.add(`${parts.slice(0, i).join('/')}${i > 0 ? '/' : ''}.wh.${p}`));
  let result: string | 'gone' | 'absent' = 'absent';
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const name = header.name.replace(/^\.?\//, '').replace(/\/$/, '');
      if (name === path) {
        if (header.type !== 'file' || (header.size ?? 0) > MAX_FILE) {
          result = 'gone';
          stream.resume();
        } else {
          const chunks: Buffer[] = [];
          stream.on('data', (c: unknown) => chunks.push(c as Buffer));
          stream.on('end', () => {
            result = Buffer.concat(chunks).toString('utf8');
            next();
          });
          return;
        }
      } else if (hidden.has(name) && result === 'absent') result = 'gone';
      stream.on('end', () => next());
      stream.resume();
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
    // Streamed, not gunzipSync: a layer of hundreds of MB must not stall the engine's event loop.
    const source = Readable.from([blob]);
    if (blob[0] === 0x1f && blob[1] === 0x8b) source.pipe(createGunzip().on('error', reject)).pipe(ex);
    else source.pipe(ex);
  });
  await done;
  return result;
}
