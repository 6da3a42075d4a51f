/**
 * Builds one corpus case with our engine and with buildah, unpacks both images with umoci and compares
 * their root filesystems and configs. Both engines start from the same busybox base: ours from its store,
 * buildah's from a copy skopeo put into its storage.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, type BuildEngine } from '../execute/build';
import { exportOciLayout } from '../oci/export';
import { loadImage } from '../oci/image';
import { CacheIndex } from '../plan/cache-index';
import { BubblewrapExecutor } from '../sandbox/bubblewrap';
import { ContentStore } from '../store/content-store';
import { buildBusyboxImage } from '../testing/busybox';
import { compareConfigs } from './config';
import type { CorpusCase } from './corpus';
import { Buildah, skopeoInspect, umociUnpack } from './peer';
import { compareTrees, readTree } from './tree';

export interface CaseResult {
  name: string;
  digest: string;
  /** Differences no normalisation or known peer deviation explains: each one fails the case. */
  unexpected: string[];
  /** Differences matched by the case's `known` list, with the reason. */
  known: string[];
  oursMs: number;
  peerMs: number;
}

export class DifferentialRun {
  readonly engine: BuildEngine;
  readonly buildah: Buildah;

  private constructor(
    readonly work: string,
    engine: BuildEngine,
  ) {
    this.engine = engine;
    this.buildah = new Buildah(join(work, 'buildah-root'), join(work, 'buildah-run'));
  }

  static async create(work: string): Promise<DifferentialRun> {
    const run = new DifferentialRun(work, await freshEngine(join(work, 'ours-data')));
    const base = await loadImage(run.engine.store, 'busybox:latest');
    await exportOciLayout(run.engine.store, [{ name: 'busybox', image: base }], join(work, 'base'));
    await run.buildah.load(join(work, 'base'), 'busybox', 'busybox:latest');
    return run;
  }

  async runCase(testCase: CorpusCase): Promise<CaseResult> {
    const dir = join(this.work, 'cases', testCase.name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const tag = testCase.tag ?? `corpus/${testCase.name}:latest`;

    let started = performance.now();
    const ours = await buildImage(this.engine, {
      contextDir: testCase.dir,
      dockerfile: testCase.dockerfile,
      buildArgs: testCase.buildArgs,
      tags: [tag],
      ...(testCase.target ? { target: testCase.target } : {}),
    });
    const oursMs = performance.now() - started;
    await exportOciLayout(this.engine.store, [{ name: 'image', image: ours.image }], join(dir, 'ours'));
    const inspected = await skopeoInspect(join(dir, 'ours'), 'image');
    const problems: string[] = [];
    if (inspected.Digest !== ours.digest) problems.push(`skopeo sees ${inspected.Digest}, we built ${ours.digest}`);

    started = performance.now();
    await this.buildah.bud({
      contextDir: testCase.dir,
      dockerfilePath: join(testCase.dir, testCase.peerDockerfile ?? 'Dockerfile'),
      tag,
      buildArgs: testCase.buildArgs,
      ...(testCase.target ? { target: testCase.target } : {}),
    });
    const peerMs = performance.now() - started;
    await this.buildah.push(tag, join(dir, 'peer'), 'image');

    await umociUnpack(join(dir, 'ours'), 'image', join(dir, 'ours-bundle'));
    await umociUnpack(join(dir, 'peer'), 'image', join(dir, 'peer-bundle'));
    const differences = [
      ...problems,
      ...compareTrees(
        await readTree(join(dir, 'ours-bundle', 'rootfs')),
        await readTree(join(dir, 'peer-bundle', 'rootfs')),
      ),
      ...compareConfigs(ours.image.config.config, await this.buildah.config(tag)),
    ];
    await rm(dir, { recursive: true, force: true });

    const known: string[] = [];
    const unexpected: string[] = [];
    for (const line of differences) {
      const match = testCase.known.find((k) => line.startsWith(k.match));
      if (match) known.push(`${line} — ${match.reason}`);
      else unexpected.push(line);
    }
    return { name: testCase.name, digest: ours.digest, unexpected, known, oursMs, peerMs };
  }
}

/** An engine with an empty persisted store and cache, holding only the busybox base. */
export async function freshEngine(dataDir: string): Promise<BuildEngine> {
  const store = await ContentStore.open(join(dataDir, 'store'));
  await buildBusyboxImage(store);
  return {
    store,
    cache: await CacheIndex.open(join(dataDir, 'cache.json')),
    executor: new BubblewrapExecutor(),
    dataDir,
  };
}

/** Builds every case in a fresh engine and returns each case's digest: cold builds must repeat them. */
export async function coldDigests(dataDir: string, cases: CorpusCase[]): Promise<Map<string, string>> {
  const engine = await freshEngine(dataDir);
  const digests = new Map<string, string>();
  for (const testCase of cases) {
    const result = await buildImage(engine, {
      contextDir: testCase.dir,
      dockerfile: testCase.dockerfile,
      buildArgs: testCase.buildArgs,
      tags: [testCase.tag ?? `corpus/${testCase.name}:latest`],
      ...(testCase.target ? { target: testCase.target } : {}),
    });
    digests.set(testCase.name, result.digest);
  }
  return digests;
}
