/**
 * `govc serve` as a user runs it: a real process on a loopback port, the ready URL on stdout, the token
 * from the environment or a file, and a clean exit on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, 'govc.ts');
const children: ChildProcess[] = [];

function startServe(args: string[], env: Record<string, string> = {}) {
  const data = mkdtempSync(join(tmpdir(), 'govc-cli-'));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', '--data', data, ...args], {
    env: { ...process.env, GOVC_TOKEN: '', GOVC_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const ready = new Promise<{ openUrl: string; apiUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready URL within 20 s: ${stdout} ${stderr}`)), 20_000);
    child.stdout!.on('data', () => {
      const open = /Open: (\S+)/.exec(stdout);
      const api = /API: {2}(\S+)/.exec(stdout);
      if (open && api) {
        clearTimeout(timer);
        resolve({ openUrl: open[1]!, apiUrl: api[1]! });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => stdout + stderr };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('govc serve', () => {
  it('prints a ready URL whose token opens a session, and stops cleanly on SIGTERM', async () => {
    const serve = startServe([]);
    const { openUrl, apiUrl } = await serve.ready;
    expect(openUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=govc_/);
    const token = decodeURIComponent(new URL(openUrl).searchParams.get('token')!);
    const info = await fetch(`${apiUrl}/system/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ mode: 'headless' });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    // The generated token is shown once in the ready URL and never in a log line.
    expect(serve.output().split(token).length - 1).toBe(1);
  });

  it('takes the admin token from GOVC_TOKEN and keeps it out of the output', async () => {
    const token = 'govc_from_environment_0123456789';
    const serve = startServe([], { GOVC_TOKEN: token });
    const { openUrl, apiUrl } = await serve.ready;
    expect(openUrl).toContain('?token=<GOVC_TOKEN>');
    const ok = await fetch(`${apiUrl}/system/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    serve.child.kill('SIGTERM');
    await serve.exited;
    expect(serve.output()).not.toContain(token);
  });

  it('takes the admin token from --token-file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'govc-token-')), 'token');
    writeFileSync(file, 'govc_from_a_file_0123456789abcdef\n');
    const serve = startServe(['--token-file', file]);
    const { apiUrl } = await serve.ready;
    const ok = await fetch(`${apiUrl}/system/info`, {
      headers: { authorization: 'Bearer govc_from_a_file_0123456789abcdef' },
    });
    expect(ok.status).toBe(200);
    serve.child.kill('SIGTERM');
    await serve.exited;
  });

  it('rejects an unknown flag with a message and a non-zero exit', async () => {
    const serve = startServe(['--bogus']);
    await expect(serve.ready).rejects.toThrow(/exited 1/);
    expect(serve.output()).toMatch(/bogus/);
  });
});
