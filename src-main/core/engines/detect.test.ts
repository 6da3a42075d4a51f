/**
 * Engine detection on a fake PATH: shell scripts named docker and podman that answer like the real ones
 * (docker's daemon up or down), no buildah at all. Covers `auto` selection, the reasons given for each
 * missing engine, the probe cache and the choice for platforms that would need emulation.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlatform } from '../build/oci/image';
import { EngineDetector, selectEngine } from './detect';
import { Engines } from './dispatch';

const DOCKER_UP = `#!/bin/sh
case "$1" in
  version) printf '%s\\n' '{"Client":{"Version":"27.1.1","ApiVersion":"1.46","Os":"linux","Arch":"amd64"},"Server":{"Version":"27.1.1","ApiVersion":"1.46"}}' ;;
  buildx) echo "github.com/docker/buildx v0.16.1 ad8a9ad" ;;
  *) exit 2 ;;
esac
`;
const DOCKER_DOWN = `#!/bin/sh
printf '%s\\n' '{"Client":{"Version":"27.1.1","ApiVersion":"1.46"},"Server":null}'
echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
exit 1
`;
const PODMAN = `#!/bin/sh
[ "$1" = version ] || exit 2
printf 'Client:       Podman Engine\\nVersion:      4.9.3\\nAPI Version:  4.9.3\\nGo Version:   go1.22.2\\nOS/Arch:      linux/amd64\\n'
`;

const native = {
  ok: () => ({ ok: true as const }),
  missing: () => ({ ok: false as const, reason: 'RUN needs bubblewrap' }),
};

describe('engine detection', () => {
  let dir: string;
  const script = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    await chmod(join(dir, name), 0o755);
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'govc-fake-path-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds docker and podman on PATH with their versions, and says why buildah is missing', async () => {
    await script('docker', DOCKER_UP);
    await script('podman', PODMAN);
    const detector = new EngineDetector({ path: dir, native: native.missing });
    expect(await detector.list()).toEqual([
      { name: 'native', available: false, reason: 'RUN needs bubblewrap', version: expect.any(String) },
      { name: 'docker', available: true, version: '27.1.1' },
      { name: 'podman', available: true, version: '4.9.3' },
      { name: 'buildah', available: false, reason: 'buildah was not found on PATH' },
    ]);
    expect(await detector.binary('podman')).toBe(join(dir, 'podman'));
    expect(selectEngine('auto', await detector.list())).toBe('docker');
    expect(selectEngine('auto', await new EngineDetector({ path: dir, native: native.ok }).list())).toBe('native');
  });

  it('explains a docker whose daemon is down, and auto takes podman instead', async () => {
    await script('docker', DOCKER_DOWN);
    const statuses = await new EngineDetector({ path: dir, native: native.missing }).list();
    expect(statuses[1]).toEqual({
      name: 'docker',
      available: false,
      version: '27.1.1',
      reason: expect.stringMatching(/^docker 27\.1\.1 is installed but its daemon is not reachable: Cannot connect/),
    });
    expect(selectEngine('auto', statuses)).toBe('podman');
    expect(() => selectEngine('docker', statuses)).toThrow(/The docker engine is not available: docker 27\.1\.1/);
  });

  it('says why nothing can build when every engine is missing', async () => {
    const statuses = await new EngineDetector({ path: join(dir, 'nowhere'), native: native.missing }).list();
    expect(statuses.map((s) => s.reason)).toEqual([
      'RUN needs bubblewrap',
      'docker was not found on PATH',
      'podman was not found on PATH',
      'buildah was not found on PATH',
    ]);
    expect(() => selectEngine('auto', statuses)).toThrow(
      /No engine can run this build \(native: RUN needs bubblewrap; docker: docker was not found on PATH; podman/,
    );
  });

  it('caches probes for the TTL, then probes again', async () => {
    await script('docker', DOCKER_UP);
    let now = 1_000;
    const detector = new EngineDetector({ path: dir, native: native.ok, ttlMs: 30_000, now: () => now });
    expect((await detector.list())[1]!.available).toBe(true);
    await script('docker', DOCKER_DOWN);
    now += 29_000;
    expect((await detector.list())[1]!.available).toBe(true);
    now += 2_000;
    expect((await detector.list())[1]!.available).toBe(false);
  });

  it('auto leaves native for RUN steps of a foreign platform, only for an engine that can emulate', async () => {
    await script('docker', DOCKER_DOWN);
    const foreign = hostPlatform().architecture === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    const here = `linux/${hostPlatform().architecture}`;
    const request = { dockerfile: 'FROM busybox\nCOPY a /a\nRUN make\n', platforms: [here, foreign] };
    const engines = (canEmulate: boolean) =>
      new Engines({
        detector: new EngineDetector({ path: dir, native: native.ok }),
        workDir: dir,
        canEmulate: () => canEmulate,
      });
    expect(await engines(true).select('auto', request)).toBe('podman');
    await expect(engines(false).select('auto', request)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('line 3: RUN make'),
    });
    await expect(engines(true).select('native', request)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    // COPY and metadata need no emulation: native builds every platform, with or without a sandbox.
    const copyOnly = { ...request, dockerfile: 'FROM scratch\nCOPY a /a\n' };
    expect(await engines(false).select('auto', copyOnly)).toBe('native');
    const noSandbox = new Engines({
      detector: new EngineDetector({ path: dir, native: native.missing }),
      workDir: dir,
      canEmulate: () => true,
    });
    expect(await noSandbox.select('auto', copyOnly)).toBe('native');
    expect(await noSandbox.select('auto', request)).toBe('podman');
  });
});
