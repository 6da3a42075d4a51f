import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { CacheIndex } from '../plan/cache-index';
import { BubblewrapExecutor } from '../sandbox/bubblewrap';
import { ContentStore } from '../store/content-store';
import { buildBusyboxImage } from '../testing/busybox';
import { buildImage, type BuildEngine, type BuildRequest } from './build';
import type { BuildEvent } from './events';
import { runBounded } from './parallel';

const CORPUS = join(__dirname, '../differential/corpus');

/** Two independent builders, each slow enough to overlap, joined by a final stage. */
const FAN_IN = `FROM busybox AS left
RUN sleep 0.3 && echo left > /left.txt
FROM busybox AS right
RUN sleep 0.3 && echo right > /right.txt
FROM busybox
COPY --from=left /left.txt /out/
COPY --from=right /right.txt /out/
`;

describe('runBounded', () => {
  it('runs at most `limit` tasks at once and throws the first failure after all settle', async () => {
    let running = 0;
    let peak = 0;
    const settled: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        settled.push(name);
        if (fail) throw new Error(name);
      };
    const stop = new AbortController();
    await expect(runBounded([task('a'), task('b', true), task('c'), task('d')], 2, stop)).rejects.toThrow('b');
    expect(peak).toBe(2);
    expect(stop.signal.aborted).toBe(true);
    expect(settled).not.toContain('d'); // nothing new starts after a failure
  });
});

describe.runIf(haveTools('bwrap', 'busybox'))('independent stages in parallel', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-parallel-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  async function freshEngine(name: string): Promise<BuildEngine> {
    const store = ContentStore.inMemory();
    await buildBusyboxImage(store);
    return { store, cache: CacheIndex.inMemory(), executor: new BubblewrapExecutor(), dataDir: join(work, name) };
  }

  async function buildWith(concurrency: number, request: Omit<BuildRequest, 'stageConcurrency'>) {
    const events: BuildEvent[] = [];
    const started = Date.now();
    const result = await buildImage(await freshEngine(`c${concurrency}-${Math.random()}`), {
      ...request,
      stageConcurrency: concurrency,
      onEvent: (event) => events.push(event),
    });
    const steps = events.flatMap((e) => (e.type === 'step' ? [`#${e.id} [${e.stage} ${e.position}] ${e.text}`] : []));
    return { digest: result.digest, steps: steps.sort(), seconds: (Date.now() - started) / 1000, events };
  }

  it('gives the same digest and the same step ids one stage at a time and two at once', async () => {
    const context = join(work, 'corpus-case');
    await cp(join(CORPUS, 'copy-from-stage'), context, { recursive: true });
    const dockerfile = await readFile(join(context, 'Dockerfile'), 'utf8');
    const one = await buildWith(1, { contextDir: context, dockerfile });
    const two = await buildWith(2, { contextDir: context, dockerfile });
    expect(two.digest).toBe(one.digest);
    expect(two.steps).toEqual(one.steps);

    const fanOne = await buildWith(1, { contextDir: context, dockerfile: FAN_IN });
    const fanTwo = await buildWith(2, { contextDir: context, dockerfile: FAN_IN });
    expect(fanTwo.digest).toBe(fanOne.digest);
    expect(fanTwo.steps).toEqual(fanOne.steps);
    // Every step that started also finished, under its own id.
    const ids = (type: string) => fanTwo.events.flatMap((e) => (e.type === type && 'id' in e ? [e.id] : [])).sort();
    expect(ids('done')).toEqual(ids('step'));
  });

  it('stops the stage running beside one that fails, and reports the real failure', async () => {
    const dockerfile = `FROM busybox AS slow
RUN sleep 20
FROM busybox AS broken
RUN exit 3
FROM busybox
COPY --from=slow /bin/sh /a
COPY --from=broken /bin/sh /b
`;
    const started = Date.now();
    await expect(buildWith(2, { contextDir: work, dockerfile })).rejects.toMatchObject({ code: 'RUN_FAILED' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops every running stage when the build is cancelled', async () => {
    const controller = new AbortController();
    const dockerfile = `FROM busybox AS a\nRUN sleep 20\nFROM busybox AS b\nRUN sleep 20\nFROM busybox\nCOPY --from=a /bin/sh /a\nCOPY --from=b /bin/sh /b\n`;
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    await expect(buildWith(2, { contextDir: work, dockerfile, signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
