/**
 * Durability: a child process commits in a loop and is killed with SIGKILL at random moments. After every
 * kill the repository must reopen with every commit the child acknowledged, and git must find it sound.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../testing/tools';
import { EventBus } from '../events/bus';
import * as inspect from './inspect';
import { RepoService } from './service';
import { fsck, scratch } from './testkit';

const KILLS = 20;
const CHILD = resolve(__dirname, 'crash-child.ts');
const ROOT = resolve(__dirname, '../../..');

/** Runs the child until it has acknowledged a few commits plus a random delay, then kills it. */
function runAndKill(dataDir: string, seed: number): Promise<string[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(seed)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: string[] = [];
    let buffered = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('ACK ')) acks.push(line.slice(4));
      if (!armed && acks.length > 0) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), 5 + Math.floor(Math.random() * 120));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') done(acks);
      else fail(new Error(`child exited by itself (${code}): ${stderr}`));
    });
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

const s = scratch('govc-crash-');
afterAll(async () => {
  await s.cleanup();
});

describe.skipIf(!haveTools('git'))('commits survive SIGKILL', () => {
  it(
    `keeps every acknowledged commit across ${KILLS} kills, and git fsck stays clean`,
    { timeout: 120_000 },
    async () => {
      const dataDir = join(s.dir, 'data');
      const acknowledged: string[] = [];
      for (let round = 0; round < KILLS; round++) {
        const acks = await runAndKill(dataDir, round);
        acknowledged.push(...acks);
        const service = new RepoService({ dataDir, bus: new EventBus() });
        const repo = await service.get('crash');
        const history = new Set((await inspect.log(repo, { limit: 10_000, skip: 0 })).commits.map((c) => c.hash));
        const lost = acknowledged.filter((h) => !history.has(h));
        expect(lost, `round ${round}: acknowledged commits missing after the kill`).toEqual([]);
        const check = fsck(join(service.reposDir, 'crash'));
        expect(check.ok, check.output).toBe(true);
        // Whole words only: object ids are hex, and "dangling blob …c4dfbbad" once matched a bare /bad/.
        // Dangling objects are expected (a kill between writing objects and moving the ref leaves some).
        expect(check.output).not.toMatch(/\b(error|missing|broken|corrupt|bad)\b/i);
        await service.close();
      }
      expect(acknowledged.length).toBeGreaterThan(KILLS);
    },
  );
});
