/** `govc build` as a user runs it: a real process, progress on stderr, the digest last on stdout. */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haveTools } from '../testing/tools';
import { ContentStore } from '../core/build/store/content-store';
import { buildBusyboxImage } from '../core/build/testing/busybox';

const cli = join(import.meta.dirname, 'govc.ts');
const work = await mkdtemp(join(tmpdir(), 'govc-cli-build-'));
afterAll(() => rm(work, { recursive: true, force: true }));

function govc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe.runIf(haveTools('bwrap', 'busybox', 'skopeo'))('govc build', () => {
  it('builds, prints BuildKit-style progress and the digest last, and is served from the cache next time', async () => {
    const data = join(work, 'data');
    await buildBusyboxImage(await ContentStore.open(join(data, 'build', 'store')));
    const context = join(work, 'ctx');
    await mkdir(context, { recursive: true });
    await writeFile(join(context, 'hello.txt'), 'hello');
    await writeFile(
      join(context, 'Dockerfile'),
      'FROM busybox\nCOPY hello.txt /\nRUN cat /hello.txt && echo " from RUN"\n',
    );
    const args = [
      'build',
      '--data',
      data,
      '-t',
      'hello',
      '--label',
      'team=build',
      '--output',
      `type=oci,dest=${join(work, 'out.tar')}`,
      context,
    ];

    const first = await govc(args);
    expect(first.stderr).toMatch(/^#1 \[stage-0 1\/3\] FROM busybox@sha256:/m);
    expect(first.stderr).toMatch(/^#3 hello from RUN$/m);
    expect(first.stderr).toMatch(/^#3 DONE \d+\.\ds$/m);
    expect(first.code).toBe(0);
    const digest = first.stdout.trim().split('\n').pop()!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const second = await govc(args);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^#2 CACHED$/m);
    expect(second.stderr).toMatch(/^#3 CACHED$/m);
    expect(second.stdout.trim()).toBe(digest);

    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      const child = spawn('skopeo', ['inspect', `oci-archive:${join(work, 'out.tar')}:hello:latest`]);
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => (code === 0 ? resolve({ stdout: out }) : reject(new Error(`skopeo exited ${code}`))));
    });
    expect(JSON.parse(stdout)).toMatchObject({ Digest: digest, Labels: { team: 'build' } });

    const failing = await govc(['build', '--data', data, '--no-cache', '-f', join(context, 'missing'), context]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('No Dockerfile at');
  });
});
