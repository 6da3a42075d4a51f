/**
 * Pushes gated by the policy, over HTTP against a real server and its own registry: an image built from a
 * repository leaves while the repository's policy allows it and is refused (422 POLICY_BLOCKED, the rule
 * and line) once the policy at HEAD blocks it; an image no build produced is not gated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImage, putImage } from '../core/build/oci/image';
import { useBuildServer } from '../testing/build-server';
import { haveTools } from '../testing/tools';

type Json = Record<string, unknown>;

const DOCKERFILE = 'FROM busybox\nCOPY passwd /etc/passwd\nUSER toor\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:toor:/root:/bin/sh\n';

describe.runIf(haveTools('busybox'))('pushes under the policy', () => {
  const studio = useBuildServer();
  const { push, build } = studio;
  const commit = (files: Record<string, string>) => studio.commit('shop', files);

  beforeAll(() => studio.createRepo('shop'));

  it('pushes an image its policy allows, and refuses it once the policy at HEAD blocks it', async () => {
    // Warn mode: the root user is reported, the build and the push go through.
    await commit({
      Dockerfile: DOCKERFILE,
      passwd: PASSWD,
      '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: { severity: error, mode: warn }\n',
    });
    const built = await build('shop', ['shop:1']);
    const allowed = await push('shop:1', 'shop/app:1');
    expect(allowed.status).toBe(200);
    expect(allowed.json.digest).toBe(built.digest);

    // The policy is tightened: the image built before is judged by the policy as it is now.
    await commit({ '.govc/policy.yaml': 'version: 1\nrules:\n  GV1010: error\n' });
    const refused = await push('shop:1', 'shop/app:2');
    expect(refused.status).toBe(422);
    const error = refused.json.error as { code: string; message: string; details: Json };
    expect(error.code).toBe('POLICY_BLOCKED');
    expect(error.message).toContain(
      `The policy of repository shop blocks pushing shop:1 (built by ${String(built.id)})`,
    );
    expect(error.message).toContain('GV1010 at Dockerfile:1: The built image runs as root (user "toor")');
    expect(error.details).toMatchObject({
      repo: 'shop',
      build: built.id,
      digest: built.digest,
      blocking: [{ rule: 'GV1010', line: 1 }],
    });
    // Nothing reached the registry under the refused tag.
    expect((await studio.server.api('/v2/shop/app/manifests/1', { method: 'HEAD' })).status).toBe(200);
    expect((await studio.server.api('/v2/shop/app/manifests/2', { method: 'HEAD' })).status).toBe(404);

    // A broken policy file blocks too: a broken policy must not become no policy.
    await commit({ '.govc/policy.yaml': 'version: 1\nrules: [\n' });
    const broken = await push('shop:1', 'shop/app:3');
    expect(broken.status).toBe(422);
    expect((broken.json.error as { message: string }).message).toContain('.govc/policy.yaml does not load');
  });

  it('judges only the Dockerfile, as builds do, when the repository has no policy file', async () => {
    // A base with a port no EXPOSE line shows: the image check (GV1063, an error by default) would refuse it.
    const store = studio.server.engine.store;
    const base = await loadImage(store, 'busybox:latest');
    const odd = await putImage(
      store,
      { ...base.config, config: { ...base.config.config, ExposedPorts: { '70000/tcp': {} } } },
      base.manifest.layers,
    );
    await store.tag('odd-port:1', odd.descriptor);
    await studio.createRepo('plain');
    await studio.commit('plain', { Dockerfile: 'FROM odd-port:1\nCOPY a /a\nUSER 1000\n', a: 'a' });
    await build('plain', ['plain:1']);
    expect((await push('plain:1', 'plain/app:1')).status).toBe(200);

    // With a policy file, the same image is judged as a build would judge it now.
    await studio.commit('plain', { '.govc/policy.yaml': 'version: 1\n' });
    const refused = await push('plain:1', 'plain/app:2');
    expect(refused.status).toBe(422);
    expect((refused.json.error as { message: string }).message).toContain('GV1063 at Dockerfile:1');
  });

  it('does not gate an image no build produced', async () => {
    // The busybox base runs as root, but it came from no repository, so no policy speaks for it.
    const busybox = studio.server.engine.store.resolve('busybox:latest')!;
    await studio.server.engine.store.tag('loose:1', busybox);
    const pushed = await push('loose:1', 'loose/base:1');
    expect(pushed.status).toBe(200);
    expect(pushed.json.digest).toBe(busybox.digest);
  });
});
