/**
 * Signing against a real store: the key made once and kept (0600), signatures that verify, and the ways
 * one must not: a changed payload, a payload naming another image, a foreign key, a forged key id.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentStore } from '../build/store/content-store';
import { MediaType, type Descriptor } from '../build/oci/types';
import { SIGNATURE_ARTIFACT_TYPE, type SignatureEnvelope } from './artifact';
import { generateSigningKey, keyIdOf } from './keys';
import { SigningService } from './service';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'govc-signing-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A small image: a config and a manifest, named `name`. */
async function image(store: ContentStore, name: string, marker = name): Promise<Descriptor> {
  const config = await store.putJson({ architecture: 'amd64', os: 'linux', marker }, MediaType.config);
  const manifest = await store.putJson(
    { schemaVersion: 2, mediaType: MediaType.manifest, config, layers: [] },
    MediaType.manifest,
  );
  await store.tag(name, manifest);
  return manifest;
}

/** Rewrites a signature artifact's envelope with `change` and stores it as a new artifact. */
async function forge(
  store: ContentStore,
  artifact: Descriptor,
  change: (e: SignatureEnvelope) => SignatureEnvelope,
): Promise<Descriptor> {
  const manifest = await store.getJson<{ layers: Descriptor[] }>(artifact.digest);
  const envelope = await store.getJson<SignatureEnvelope>(manifest.layers[0]!.digest);
  const layer = await store.putJson(change(envelope), SIGNATURE_ARTIFACT_TYPE);
  return store.putJson({ ...manifest, layers: [layer] }, MediaType.manifest);
}

describe('the signing key', () => {
  it('is made once under the folder, owner-only, and read back with the same id', () => {
    const dir = tempDir();
    const store = ContentStore.inMemory();
    const first = new SigningService(store, dir).publicKey();
    expect(statSync(join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'key.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(first.algorithm).toBe('ed25519');
    expect(first.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.keyId).toBe(keyIdOf(first.publicKey));
    expect(first.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(first.publicKey).not.toContain('PRIVATE');
    const again = new SigningService(store, dir).publicKey();
    expect(again).toEqual(first);
  });

  it('refuses a key file it cannot read rather than replacing it', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'key.pem'), 'not a key');
    expect(() => new SigningService(ContentStore.inMemory(), dir).publicKey()).toThrow(/cannot be read/);
    expect(readFileSync(join(dir, 'key.pem'), 'utf8')).toBe('not a key');
  });
});

describe('signatures', () => {
  it('signs an image as an OCI artifact whose subject is the image, and verifies it', async () => {
    const store = ContentStore.inMemory();
    const signing = new SigningService(store);
    const subject = await image(store, 'app:1');
    const signed = await signing.sign('app:1');
    expect(signed).toMatchObject({ verified: true, trusted: true, keyId: signing.publicKey().keyId });
    const manifest = await store.getJson<Record<string, unknown>>(signed.artifact.digest);
    expect(manifest).toMatchObject({
      mediaType: MediaType.manifest,
      artifactType: SIGNATURE_ARTIFACT_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2 },
      subject: { digest: subject.digest, mediaType: subject.mediaType, size: subject.size },
    });
    const listed = await signing.signatures(subject.digest);
    expect(listed.map((s) => [s.artifact.digest, s.verified, s.trusted])).toEqual([
      [signed.artifact.digest, true, true],
    ]);
    // By digest as well as by name.
    expect(signing.image(subject.digest).digest).toBe(subject.digest);
  });

  it('keeps its list across restarts, and its artifacts through a GC', async () => {
    const dir = tempDir();
    const store = await ContentStore.open(join(dir, 'store'));
    const subject = await image(store, 'app:1');
    const signed = await new SigningService(store, join(dir, 'signing')).sign('app:1');
    await store.gc([], { graceMs: 0 });
    const reopened = new SigningService(store, join(dir, 'signing'));
    const listed = await reopened.signatures(subject.digest);
    expect(listed.map((s) => [s.artifact.digest, s.verified])).toEqual([[signed.artifact.digest, true]]);
  });

  it('does not verify a changed payload, a payload naming another image, or a forged key id', async () => {
    const store = ContentStore.inMemory();
    const signing = new SigningService(store);
    const subject = await image(store, 'app:1');
    const other = await image(store, 'app:2');
    const { artifact } = await signing.sign('app:1');
    const payloadOf = (e: SignatureEnvelope) => JSON.parse(Buffer.from(e.payload, 'base64').toString()) as object;
    const encode = (p: object) => Buffer.from(JSON.stringify(p)).toString('base64');

    const changed = await forge(store, artifact, (e) => ({
      ...e,
      payload: encode({ ...payloadOf(e), created: '2000-01-01T00:00:00.000Z' }),
    }));
    // A valid signature of app:1 presented, by its artifact's subject, as one of app:2.
    const moved = await store.putJson(
      { ...(await store.getJson<object>(artifact.digest)), subject: other },
      MediaType.manifest,
    );
    // Re-signed by a stranger but claiming this engine's key id in the payload.
    const stranger = generateSigningKey();
    const claimed = await forge(store, artifact, (e) => ({
      ...e,
      signature: stranger.sign(Buffer.from(e.payload, 'base64')).toString('base64'),
      publicKey: stranger.publicKey,
    }));
    signing.remember(subject.digest, changed);
    signing.remember(other.digest, moved);
    signing.remember(subject.digest, claimed);

    const mine = await signing.signatures(subject.digest);
    const byDigest = new Map(mine.map((s) => [s.artifact.digest, s]));
    expect(byDigest.get(artifact.digest)).toMatchObject({ verified: true, trusted: true });
    expect(byDigest.get(changed.digest)).toMatchObject({
      verified: false,
      trusted: false,
      reason: 'the signature does not match the payload and key',
    });
    expect(byDigest.get(claimed.digest)).toMatchObject({
      verified: false,
      trusted: false,
      keyId: stranger.keyId,
      reason: 'the payload names another key than the one that signed it',
    });
    const theirs = await signing.signatures(other.digest);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ verified: false, reason: `the signed payload names ${subject.digest}` });
  });

  it('verifies a foreign key but trusts it only when listed, by PEM or by key id', async () => {
    const store = ContentStore.inMemory();
    const signing = new SigningService(store);
    const subject = await image(store, 'app:1');
    const stranger = generateSigningKey();
    const signed = await signing.sign('app:1', stranger);
    expect(signed).toMatchObject({ verified: true, trusted: false, keyId: stranger.keyId });
    const trust = async (keys: string[]) => (await signing.signatures(subject.digest, keys))[0]!.trusted;
    expect(await trust([])).toBe(false);
    expect(await trust([stranger.publicKey])).toBe(true);
    expect(await trust([stranger.keyId.toUpperCase()])).toBe(true);
    expect(await trust([signing.publicKey().publicKey])).toBe(false);
    expect(await trust(['-----BEGIN PUBLIC KEY-----\nbroken\n-----END PUBLIC KEY-----'])).toBe(false);
  });

  it('names a missing image with IMAGE_NOT_FOUND', async () => {
    const signing = new SigningService(ContentStore.inMemory());
    await expect(signing.sign('nope:1')).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
  });
});
