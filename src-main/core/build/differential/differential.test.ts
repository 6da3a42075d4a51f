/**
 * The differential test: every Dockerfile of the corpus is built by our engine and by buildah from the same
 * busybox base, and the two images must agree on their root filesystems and configs (see
 * docs/build-engine.md, "The differential test", for what is compared and normalised). Then a second, cold
 * build of every case in a fresh store must give the same digests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { loadCorpus, type CorpusCase } from './corpus';
import { coldDigests, DifferentialRun, type CaseResult } from './runner';

const cases: CorpusCase[] = await loadCorpus();
const results: CaseResult[] = [];

describe.runIf(haveTools('buildah', 'skopeo', 'umoci', 'bwrap', 'busybox'))('differential: ours vs buildah', () => {
  let work: string;
  let run: DifferentialRun;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-differential-'));
    run = await DifferentialRun.create(work);
  }, 120_000);

  afterAll(async () => {
    for (const r of results) {
      const status = r.unexpected.length === 0 ? 'pass' : 'FAIL';
      const lines = [...r.unexpected.map((d) => `    ${d}`), ...r.known.map((d) => `    known: ${d}`)];
      process.stderr.write(
        `${status} ${r.name} (ours ${r.oursMs.toFixed(0)} ms, buildah ${r.peerMs.toFixed(0)} ms)\n${lines.join('\n')}${lines.length ? '\n' : ''}`,
      );
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('has a corpus of at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const testCase of cases) {
    it(`${testCase.name}: same rootfs and config as buildah`, async () => {
      const result = await run.runCase(testCase);
      results.push(result);
      expect(result.unexpected).toEqual([]);
    }, 120_000);
  }

  it('gives the same digests from a cold build in a fresh store', async () => {
    const cold = await coldDigests(join(work, 'cold'), cases);
    for (const r of results) expect(cold.get(r.name), r.name).toBe(r.digest);
  }, 300_000);
});
