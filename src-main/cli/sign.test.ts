/**
 * `govc sign` as a user runs it: a real process talking to a real server over HTTP, printing the public
 * key, signing, listing, and failing loudly on a signature that does not verify or an image that is not there.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaType } from '../core/build/oci/types';
import { startTestServer, type TestServer } from '../testing/server';

const cli = join(import.meta.dirname, 'govc.ts');

function govc(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('govc sign', () => {
  let server: TestServer;
  let env: Record<string, string>;

  /** A small image in the server's store (config and manifest), named `name`. */
  async function image(name: string): Promise<string> {
    const store = server.engine.store;
    const config = await store.putJson({ architecture: 'amd64', os: 'linux', name }, MediaType.config);
    const manifest = await store.putJson(
      { schemaVersion: 2, mediaType: MediaType.manifest, config, layers: [] },
      MediaType.manifest,
    );
    await store.tag(name, manifest);
    return manifest.digest;
  }

  beforeAll(async () => {
    server = await startTestServer();
    env = { GOVC_SERVER: server.url, GOVC_TOKEN: server.token };
  });
  afterAll(async () => {
    await server.stop();
  });

  it('prints the key, signs an image, and lists its signatures', async () => {
    const digest = await image('cli/app:1');
    const key = await govc(['sign', '--key'], env);
    expect(key.code).toBe(0);
    expect(key.stdout).toBe(server.engine.signing.publicKey().publicKey);

    const signed = await govc(['sign', 'cli/app:1'], env);
    expect(signed.stderr).toContain(`signed ${digest} with key ${server.engine.signing.publicKey().keyId}`);
    expect(signed.code).toBe(0);
    const signature = signed.stdout.trim();
    expect(signature).toMatch(/^sha256:[0-9a-f]{64}$/);

    const listed = await govc(['sign', '--list', 'cli/app:1'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${signature} key ${server.engine.signing.publicKey().keyId}`);
    expect(listed.stdout).toContain('verified, this engine');
  });

  it('exits non-zero on a signature that does not verify and on a missing image', async () => {
    const digest = await image('cli/app:2');
    const other = await server.engine.signing.sign(await image('cli/other:1'));
    // Another image's signature recorded as this one's: its subject and payload name the other image.
    server.engine.signing.remember(digest, other.artifact);
    const listed = await govc(['sign', '--list', 'cli/app:2'], env);
    expect(listed.code).toBe(1);
    expect(listed.stdout).toContain(`INVALID: its subject is not ${digest}`);

    const missing = await govc(['sign', 'nope:1'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('(IMAGE_NOT_FOUND)');
  });
});
