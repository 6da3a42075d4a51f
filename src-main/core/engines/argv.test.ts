/** Each engine's command lines: every request field maps to that engine's flag, nothing else sneaks in. */
import { describe, expect, it } from 'vitest';
import { buildahBuild, dockerBuild, exportImage, podmanBuild, removeManifestList } from './argv';
import type { ExternalBuildSpec } from './types';

const spec: ExternalBuildSpec = {
  contextDir: '/shm/ctx',
  dockerfilePath: '/work/b1/Dockerfile',
  tags: ['app:1', 'app:latest'],
  buildArgs: { VERSION: '1.2', EMPTY: '' },
  labels: { 'org.example.team': 'core' },
  target: 'prod',
  platforms: [],
  noCache: true,
  workDir: '/work/b1',
  buildName: 'govc-build-b1',
};
const common = [
  '-f',
  '/work/b1/Dockerfile',
  '--iidfile',
  '/work/b1/image-id',
  '--build-arg',
  'VERSION=1.2',
  '--build-arg',
  'EMPTY=',
  '--label',
  'org.example.team=core',
  '--target',
  'prod',
  '--no-cache',
];

describe('argv builders', () => {
  it('docker: buildx with rawjson progress, loaded into the daemon, then saved by id', () => {
    expect(dockerBuild(spec).argv).toEqual([
      'buildx',
      'build',
      '--progress=rawjson',
      ...common,
      '-t',
      'app:1',
      '-t',
      'app:latest',
      '--load',
      '/shm/ctx',
    ]);
    expect(exportImage('docker', spec, 'sha256:abc')?.argv).toEqual(['save', '-o', '/work/b1/image.tar', 'sha256:abc']);
  });

  it('docker: several platforms go to an OCI archive BuildKit writes (no --load, nothing to save)', () => {
    const multi = { ...spec, platforms: ['linux/amd64', 'linux/arm64'] };
    const argv = dockerBuild(multi, { pull: 'always' }).argv;
    expect(argv).toContain('--pull');
    expect(argv.slice(argv.indexOf('--platform'), argv.indexOf('--platform') + 2)).toEqual([
      '--platform',
      'linux/amd64,linux/arm64',
    ]);
    expect(argv).toContain('type=oci,dest=/work/b1/image.tar');
    expect(argv).not.toContain('--load');
    expect(exportImage('docker', multi, '')).toBeNull();
  });

  it('buildah: storage and isolation first, --layers for its step cache, pushed as an OCI archive', () => {
    const config = { storageDriver: 'vfs', root: '/r', runroot: '/rr', isolation: 'chroot', pull: 'never' };
    expect(buildahBuild(spec, config).argv).toEqual([
      '--storage-driver',
      'vfs',
      '--root',
      '/r',
      '--runroot',
      '/rr',
      'bud',
      '--layers',
      '--isolation',
      'chroot',
      '--pull=never',
      ...common,
      '-t',
      'app:1',
      '-t',
      'app:latest',
      '/shm/ctx',
    ]);
    expect(exportImage('buildah', spec, 'abc123', config)?.argv).toEqual([
      ...['--storage-driver', 'vfs', '--root', '/r', '--runroot', '/rr'],
      'push',
      '--quiet',
      'abc123',
      'oci-archive:/work/b1/image.tar',
    ]);
    expect(removeManifestList('buildah', spec, config)).toBeNull();
  });

  it('buildah and podman: several platforms build into a manifest list pushed whole, then removed', () => {
    const multi = { ...spec, platforms: ['linux/amd64', 'linux/arm64/v8'] };
    const bud = buildahBuild(multi).argv;
    expect(bud).toEqual(
      expect.arrayContaining(['--platform', 'linux/amd64,linux/arm64/v8', '--manifest', 'govc-build-b1']),
    );
    expect(bud).not.toContain('-t');
    expect(exportImage('buildah', multi, '')?.argv).toEqual([
      'manifest',
      'push',
      '--all',
      'govc-build-b1',
      'oci-archive:/work/b1/image.tar',
    ]);
    expect(exportImage('podman', multi, '')?.argv).toEqual(exportImage('buildah', multi, '')?.argv);
    expect(removeManifestList('podman', multi)?.argv).toEqual(['manifest', 'rm', 'govc-build-b1']);
  });

  it('podman: build (not bud), saved as an OCI archive', () => {
    const minimal = { ...spec, buildArgs: {}, labels: {}, noCache: false, tags: [] };
    delete (minimal as { target?: string }).target;
    expect(podmanBuild(minimal).argv).toEqual([
      'build',
      '--layers',
      '-f',
      '/work/b1/Dockerfile',
      '--iidfile',
      '/work/b1/image-id',
      '/shm/ctx',
    ]);
    expect(exportImage('podman', minimal, 'f00')?.argv).toEqual([
      'save',
      '--format',
      'oci-archive',
      '-o',
      '/work/b1/image.tar',
      'f00',
    ]);
  });
});
