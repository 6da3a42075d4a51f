/**
 * `govc build`: builds an image from a Dockerfile with govc's own engine, BuildKit-style progress on
 * stderr and the image digest as the last line on stdout, so `digest=$(govc build .)` works.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GovcError } from '../../src-shared/errors';
import { buildRemote } from './build-remote';
import { buildImage } from '../core/build/execute/build';
import { PlainProgress, type BuildEvent } from '../core/build/execute/events';
import { exportDockerArchive, exportOciArchive, exportOciLayout } from '../core/build/oci/export';
import { CacheIndex } from '../core/build/plan/cache-index';
import { NativeExecutor } from '../core/build/sandbox/native';
import { validateRefName } from '../core/build/store/content-store';
import { openEngineStore } from '../core/build/store/engine-store';
import { RegistryClient } from '../core/registry/client/client';
import { defaultDataDir } from '../core/paths';

export const BUILD_USAGE = `Usage: govc build [options] CONTEXT

Builds an image from a Dockerfile with govc's own engine. Progress goes to stderr, the image digest is
printed last on stdout. Base images come from the engine's store (an OCI layout under DATA/store, shared
with the registry); one that is not there is pulled from its registry.

Options:
  -f, --file PATH          Dockerfile (default: CONTEXT/Dockerfile)
  -t, --tag NAME[:TAG]     name the image in the local store (repeatable; no tag means :latest)
      --build-arg K[=V]    set a build arg (repeatable; K alone takes it from the environment)
      --label K=V          add a label to the image (repeatable)
      --target STAGE       build this stage instead of the last
      --no-cache           run every step, ignoring the step cache
      --output type=oci|docker,dest=PATH[,tar=false]
                           also export: oci (an OCI archive, or a layout folder with tar=false) or docker
                           (a docker-archive for docker load / podman load)
      --progress plain|json
      --data DIR           the engine's data folder

Building on a govc server (the build runs in its queue, from a repository's tree):
      --server URL --repo REPO [--token T] [--ref REF|worktree] [-f PATH-IN-REPO] [CONTEXT-IN-REPO]
                           -f defaults to CONTEXT/Dockerfile; the token also comes from GOVC_TOKEN
`;

export async function build(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      file: { type: 'string', short: 'f' },
      tag: { type: 'string', short: 't', multiple: true },
      'build-arg': { type: 'string', multiple: true },
      label: { type: 'string', multiple: true },
      target: { type: 'string' },
      'no-cache': { type: 'boolean' },
      output: { type: 'string' },
      progress: { type: 'string', default: 'plain' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      server: { type: 'string' },
      token: { type: 'string' },
      repo: { type: 'string' },
      ref: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(BUILD_USAGE);
    return 0;
  }
  if (values.server !== undefined) return remote(values, positionals);
  if (positionals.length !== 1)
    throw new GovcError('BAD_REQUEST', `govc build takes one CONTEXT folder\n\n${BUILD_USAGE}`);
  if (values.progress !== 'plain' && values.progress !== 'json')
    throw new GovcError('BAD_REQUEST', `--progress ${values.progress}: use plain or json`);
  const contextDir = resolve(positionals[0]!);
  const dockerfilePath = resolve(values.file ?? join(contextDir, 'Dockerfile'));
  const dockerfile = await readFile(dockerfilePath, 'utf8').catch(() => {
    throw new GovcError('NOT_FOUND', `No Dockerfile at ${dockerfilePath}`);
  });
  const inContext = relative(contextDir, dockerfilePath);
  const dockerfileName = inContext.startsWith('..') || isAbsolute(inContext) ? 'Dockerfile' : inContext;
  const tags = (values.tag ?? []).map(withTag);
  const output = values.output === undefined ? undefined : parseOutput(values.output);

  const dataRoot = values.data ?? defaultDataDir();
  const dataDir = join(dataRoot, 'build');
  const store = openEngineStore(dataRoot);
  const cache = await CacheIndex.open(join(dataDir, 'cache.json'));
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const plain = new PlainProgress();
  const print = (event: BuildEvent): void => {
    const text =
      values.progress === 'json'
        ? `${JSON.stringify(event)}\n`
        : plain
            .lines(event)
            .map((l) => `${l}\n`)
            .join('');
    process.stderr.write(text);
  };

  try {
    const epoch = process.env.SOURCE_DATE_EPOCH;
    const result = await buildImage(
      {
        store,
        cache,
        executor: new NativeExecutor(),
        dataDir,
        // FROM an image not in the store pulls it (credentials from the user's docker/podman auth files).
        resolveImage: async (ref) => (await new RegistryClient(store).pull(ref)).name,
      },
      {
        contextDir,
        dockerfile,
        dockerfileName,
        buildArgs: pairs(values['build-arg'] ?? [], '--build-arg', true),
        labels: pairs(values.label ?? [], '--label', false),
        tags,
        noCache: values['no-cache'] ?? false,
        ...(values.target === undefined ? {} : { target: values.target }),
        ...(epoch === undefined ? {} : { sourceDateEpoch: parseEpoch(epoch) }),
        signal: controller.signal,
        onEvent: print,
      },
    );
    if (output) {
      const images = tags.length > 0 ? tags.map((name) => ({ name, image: result.image })) : [{ image: result.image }];
      if (output.type === 'docker') await exportDockerArchive(store, images, output.dest);
      else if (output.tar) await exportOciArchive(store, images, output.dest);
      else await exportOciLayout(store, images, output.dest);
      print({ type: 'export', output: `${output.type} ${output.dest}` });
    }
    process.stderr.write(`${result.steps} steps, ${result.cachedSteps} cached\n`);
    process.stdout.write(`${result.digest}\n`);
    return 0;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

function remote(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]) {
  const get = (name: string) => values[name] as string | undefined;
  const list = (name: string) => (values[name] as string[] | undefined) ?? [];
  if (!get('repo')) throw new GovcError('BAD_REQUEST', `--server needs --repo REPO\n\n${BUILD_USAGE}`);
  if (positionals.length > 1) throw new GovcError('BAD_REQUEST', 'govc build --server takes at most one CONTEXT');
  const context = positionals[0];
  return buildRemote({
    server: get('server')!,
    token: get('token') ?? process.env.GOVC_TOKEN,
    repo: get('repo')!,
    dockerfile: get('file') ?? (context === undefined ? 'Dockerfile' : `${context}/Dockerfile`),
    context,
    ref: get('ref'),
    tags: list('tag'),
    args: pairs(list('build-arg'), '--build-arg', true),
    labels: pairs(list('label'), '--label', false),
    target: get('target'),
    noCache: values['no-cache'] === true,
    progress: get('progress') === 'json' ? 'json' : 'plain',
  });
}

function withTag(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tagged = name.includes('@') || name.indexOf(':', lastSlash + 1) !== -1 ? name : `${name}:latest`;
  validateRefName(tagged);
  return tagged;
}

function pairs(items: string[], flag: string, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq === -1 && fromEnv) {
      const value = process.env[item];
      if (value !== undefined) out[item] = value;
    } else if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
    else throw new GovcError('BAD_REQUEST', `${flag} ${item}: expected KEY=VALUE`);
  }
  return out;
}

function parseOutput(spec: string): { type: 'oci' | 'docker'; dest: string; tar: boolean } {
  const fields = Object.fromEntries(
    spec.split(',').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]),
  );
  const type = fields.type;
  if (type !== 'oci' && type !== 'docker')
    throw new GovcError('BAD_REQUEST', `--output ${spec}: type must be oci or docker`);
  if (!fields.dest) throw new GovcError('BAD_REQUEST', `--output ${spec}: dest=PATH is required`);
  const dest = resolve(fields.dest);
  return { type, dest, tar: fields.tar !== 'false' };
}

function parseEpoch(value: string): number {
  const epoch = Number(value);
  if (!Number.isInteger(epoch) || epoch < 0)
    throw new GovcError('BAD_REQUEST', `SOURCE_DATE_EPOCH=${value}: expected whole seconds`);
  return epoch;
}
