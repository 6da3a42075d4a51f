/**
 * Signing over HTTP against a real server and its own registry: the public key, signing and listing, a
 * push refused while the repository's policy wants a signature the image lacks, accepted once signed, and
 * the signature arriving in the registry as the image's referrer; a policy's signing.keys decides whose
 * signatures count.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { MediaType } from '../core/build/oci/types';
import { generateSigningKey } from '../core/signing/keys';
import { useBuildServer } from '../testing/build-server';
import { haveTools } from '../testing/tools';

type Json = Record<string, unknown>;
const ARTIFACT_TYPE = 'application/vnd.govc.signature.v1+json';

describe.runIf(haveTools('busybox'))('image signing', () => {
  const studio = useBuildServer();
  const { call, push } = studio;
  const commit = (files: Record<string, string>) => studio.commit('signed', files);
  const referrers = async (name: string, digest: string) =>
    (await (await studio.server.api(`/v2/${name}/referrers/${digest}`)).json()) as { manifests: Json[] };
  let build: Json = {};

  beforeAll(async () => {
    await studio.createRepo('signed');
    await commit({
      Dockerfile: 'FROM busybox\nCOPY a /a\nUSER 1000\n',
      a: 'a',
      '.govc/policy.yaml': 'version: 1\nsigning:\n  required: true\n',
    });
    build = await studio.build('signed', ['signed:1']);
    // The build's policy step says where signing is checked, since the build itself does not.
    const log = await call('GET', `/repos/signed/containers/builds/${String(build.id)}/logs`);
    expect(log.text).toContain('signing.required: checked when the image is pushed (sign it with govc sign)');
  });

  it('refuses the unsigned push, signs, and pushes the image with its signature as a referrer', async () => {
    const key = await call('GET', '/images/signing-key');
    expect(key.status).toBe(200);
    expect(key.json).toMatchObject({ algorithm: 'ed25519', key_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(String(key.json.public_key)).toContain('BEGIN PUBLIC KEY');
    expect(JSON.stringify(key.json)).not.toContain('PRIVATE');

    const policy = await call('GET', '/repos/signed/policy');
    const notes = policy.json.enforcement as Json[];
    expect(notes.find((n) => n.field === 'signing.required')).toMatchObject({ status: 'enforced' });
    expect(notes.find((n) => n.field === 'scanning')).toMatchObject({ status: 'pending' });

    const refused = await push('signed:1', 'signed/app:1');
    expect(refused.status).toBe(422);
    const error = refused.json.error as { code: string; message: string; details: Json };
    expect(error.code).toBe('POLICY_BLOCKED');
    expect(error.message).toContain('The policy of repository signed requires a signature on signed:1');
    expect(error.message).toContain('it has no signature');
    expect(error.message).toContain('govc sign signed:1');
    expect(error.details).toMatchObject({ digest: build.digest, trusted_keys: [key.json.key_id], signatures: [] });
    expect((await studio.server.api('/v2/signed/app/manifests/1', { method: 'HEAD' })).status).toBe(404);

    const signed = await call('POST', '/images/sign', { ref: 'signed:1' });
    expect(signed.status).toBe(201);
    expect(signed.json).toMatchObject({ image: build.digest, key_id: key.json.key_id, verified: true, trusted: true });
    const listed = await call('GET', '/images/signatures?ref=signed:1');
    expect(listed.json).toMatchObject({
      image: build.digest,
      signatures: [{ digest: signed.json.digest, key_id: key.json.key_id, verified: true, trusted: true }],
    });

    const pushed = await push('signed:1', 'signed/app:1');
    expect(pushed.status).toBe(200);
    expect(pushed.json).toMatchObject({ digest: build.digest, signatures: 1 });
    const listedThere = await referrers('signed/app', String(build.digest));
    expect(listedThere.manifests).toEqual([
      expect.objectContaining({ digest: signed.json.digest, artifactType: ARTIFACT_TYPE }),
    ]);
    // The artifact is whole in the registry: its manifest, config and envelope can be fetched there.
    const manifest = (await (
      await studio.server.api(`/v2/signed/app/manifests/${String(signed.json.digest)}`)
    ).json()) as {
      config: { digest: string };
      layers: Array<{ digest: string }>;
      subject: { digest: string };
    };
    expect(manifest.subject.digest).toBe(build.digest);
    for (const blob of [manifest.config, ...manifest.layers])
      expect((await studio.server.api(`/v2/signed/app/blobs/${blob.digest}`, { method: 'HEAD' })).status).toBe(200);
  });

  it('counts only the keys the policy lists, once it lists some, and says which signatures it found', async () => {
    const stranger = generateSigningKey();
    await commit({ '.govc/policy.yaml': `version: 1\nsigning:\n  required: true\n  keys: [${stranger.keyId}]\n` });
    // The engine's own signature (from the test before) is valid but no longer trusted.
    const refused = await push('signed:1', 'signed/app:2');
    expect(refused.status).toBe(422);
    const error = refused.json.error as { message: string; details: Json };
    expect(error.message).toContain('none of its 1 signatures is by a trusted key and verifies');
    expect(error.details).toMatchObject({ trusted_keys: [stranger.keyId], signatures: [{ verified: true }] });

    await studio.server.engine.signing.sign('signed:1', stranger);
    const listed = await call('GET', '/images/signatures?ref=signed:1');
    // Trusted in this listing means the engine's own key; the stranger's is verified only.
    expect((listed.json.signatures as Json[]).map((s) => [s.key_id, s.verified, s.trusted]).sort()).toEqual(
      [
        [(await call('GET', '/images/signing-key')).json.key_id, true, true],
        [stranger.keyId, true, false],
      ].sort(),
    );
    const pushed = await push('signed:1', 'signed/app:2');
    expect(pushed.status).toBe(200);
    expect(pushed.json.signatures).toBe(2);
    expect((await referrers('signed/app', String(build.digest))).manifests).toHaveLength(2);

    // By PEM too.
    const pem = stranger.publicKey.trim().split('\n').join('\n      ');
    await commit({ '.govc/policy.yaml': `version: 1\nsigning:\n  required: true\n  keys:\n    - |\n      ${pem}\n` });
    const byPem = await push('signed:1', 'signed/app:3');
    expect(byPem.json.error).toBeUndefined();
    expect(byPem.status).toBe(200);
  });

  it('carries the signatures of an image no policy gates, and refuses to sign what does not exist', async () => {
    const busybox = studio.server.engine.store.resolve('busybox:latest')!;
    await studio.server.engine.store.tag('loose:1', busybox);
    const signed = await call('POST', '/images/sign', { ref: 'loose:1' });
    expect(signed.status).toBe(201);
    const pushed = await push('loose:1', 'loose/base:1');
    expect(pushed.status).toBe(200);
    expect(pushed.json.signatures).toBe(1);
    const there = await referrers('loose/base', busybox.digest);
    expect(there.manifests.map((m) => m.digest)).toEqual([signed.json.digest]);

    // A reader sees the key and the signatures, but vouching for an image is a pusher's right.
    const reader = (await call('POST', '/tokens', { name: 'ro', role: 'reader' })).json.token as string;
    expect((await studio.server.call('GET', '/images/signing-key', undefined, reader)).status).toBe(200);
    expect((await studio.server.call('GET', '/images/signatures?ref=loose:1', undefined, reader)).status).toBe(200);
    const denied = await studio.server.call('POST', '/images/sign', { ref: 'loose:1' }, reader);
    expect(denied.status).toBe(403);

    const missing = await call('POST', '/images/sign', { ref: 'nope:1' });
    expect(missing.status).toBe(404);
    expect((missing.json.error as { code: string }).code).toBe('IMAGE_NOT_FOUND');
  });

  it('says the image was pushed when a registry refuses its signatures', async () => {
    // A registry in front of the engine's that takes images but refuses manifests put by digest (artifacts).
    const body = async (req: IncomingMessage) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    const proxy = createServer((req, res) => {
      void (async () => {
        if (req.method === 'PUT' && /\/manifests\/sha256:/.test(req.url ?? '')) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'no artifacts here' }] }));
          return;
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection' && k !== 'content-length'),
        ) as Record<string, string>;
        const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
        const answer = await fetch(`${studio.server.url}${req.url}`, {
          method: req.method,
          headers,
          ...(hasBody ? { body: await body(req) } : {}),
          redirect: 'manual',
        });
        const out: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding') out[k] = v;
        });
        res.writeHead(answer.status, out);
        res.end(Buffer.from(await answer.arrayBuffer()));
      })();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const at = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      // An image of its own (a config and a manifest), so its signatures are only the one made here.
      const store = studio.server.engine.store;
      const config = await store.putJson({ architecture: 'amd64', os: 'linux' }, MediaType.config);
      const image = await store.putJson(
        { schemaVersion: 2, mediaType: MediaType.manifest, config, layers: [] },
        MediaType.manifest,
      );
      await store.tag('proxied:1', image);
      expect((await call('POST', '/images/sign', { ref: 'proxied:1' })).status).toBe(201);
      const digest = image.digest;
      const refused = await call('POST', '/images/push', {
        ref: 'proxied:1',
        destination: `${at}/proxied/base:1`,
        credentials: { username: 'any', password: studio.server.token },
      });
      const error = refused.json.error as { code: string; message: string; details: Json };
      // Another server refused: 502, not the caller's fault and not ours.
      expect(refused.status).toBe(502);
      expect(error.code).toBe('BAD_GATEWAY');
      expect(error.message).toContain(`${at}/proxied/base:1 was pushed (${digest}), but its signatures were not`);
      expect(error.details).toMatchObject({ digest, signatures: 1, status: 400 });
      // The image did arrive (through the proxy, in the engine's registry behind it).
      expect((await studio.server.api('/v2/proxied/base/manifests/1', { method: 'HEAD' })).status).toBe(200);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });
});
