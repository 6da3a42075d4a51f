/**
 * Signature artifacts (OCI 1.1): an image manifest with artifactType SIGNATURE_ARTIFACT_TYPE, the empty
 * config, one layer holding an envelope, and `subject` = the signed image's manifest, so any registry's
 * referrers API lists it next to the image. The envelope carries the payload as base64 bytes (so nothing
 * is re-serialised before verifying), the ed25519 signature over exactly those bytes, and the public key.
 * The payload names the signed manifest digest: the artifact's `subject` is not signed, the payload is.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { ContentStore } from '../build/store/content-store';
import { isDigest } from '../build/store/digest';
import { MediaType, type Descriptor } from '../build/oci/types';
import { keyIdOf, KEY_ALGORITHM, type SigningKey } from './keys';

export const SIGNATURE_ARTIFACT_TYPE = 'application/vnd.govc.signature.v1+json';
export const PAYLOAD_TYPE = 'govc.signature.v1';
export const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
const EMPTY_BYTES = Buffer.from('{}');
const KEY_ID_ANNOTATION = 'dev.govc.signature.key-id';
const CREATED_ANNOTATION = 'org.opencontainers.image.created';

export interface SignaturePayload {
  type: typeof PAYLOAD_TYPE;
  subject: { mediaType: string; digest: string; size: number };
  keyId: string;
  created: string;
}

export interface SignatureEnvelope {
  algorithm: typeof KEY_ALGORITHM;
  payload: string; // base64 of the payload's JSON bytes
  signature: string; // base64 ed25519 signature over those bytes
  publicKey: string; // SPKI PEM
}

export interface SignatureCheck {
  /** The signature artifact's manifest. */
  artifact: Descriptor;
  keyId: string | null;
  publicKey: string | null;
  created: string | null;
  /** The signature verifies over the payload with the key it carries, and the payload names this image. */
  verified: boolean;
  /** Why not, when not verified. */
  reason?: string;
}

/** Makes and stores the signature artifact of `subject` (an image manifest or index); returns its manifest. */
export async function signManifest(store: ContentStore, subject: Descriptor, key: SigningKey): Promise<Descriptor> {
  const created = new Date().toISOString();
  const payload: SignaturePayload = {
    type: PAYLOAD_TYPE,
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    keyId: key.keyId,
    created,
  };
  const bytes = Buffer.from(JSON.stringify(payload));
  const envelope: SignatureEnvelope = {
    algorithm: KEY_ALGORITHM,
    payload: bytes.toString('base64'),
    signature: key.sign(bytes).toString('base64'),
    publicKey: key.publicKey,
  };
  const layer = await store.putJson(envelope, SIGNATURE_ARTIFACT_TYPE);
  const config = await store.put(EMPTY_BYTES);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.manifest,
    artifactType: SIGNATURE_ARTIFACT_TYPE,
    config: {
      mediaType: EMPTY_MEDIA_TYPE,
      digest: config.digest,
      size: config.size,
      data: EMPTY_BYTES.toString('base64'),
    },
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { [KEY_ID_ANNOTATION]: key.keyId, [CREATED_ANNOTATION]: created },
  };
  return store.putJson(manifest, MediaType.manifest);
}

/** Checks one signature artifact against the image digest it should sign. Never throws for bad content. */
export async function checkSignature(
  store: ContentStore,
  artifact: Descriptor,
  image: string,
): Promise<SignatureCheck> {
  const result: SignatureCheck = { artifact, keyId: null, publicKey: null, created: null, verified: false };
  const fail = (reason: string): SignatureCheck => ({ ...result, reason });
  let envelope: SignatureEnvelope;
  try {
    const manifest = await store.getJson<{
      artifactType?: string;
      layers?: Descriptor[];
      subject?: Descriptor;
    }>(artifact.digest);
    if (manifest.artifactType !== SIGNATURE_ARTIFACT_TYPE) return fail('not a govc signature artifact');
    if (manifest.subject?.digest !== image) return fail(`its subject is not ${image}`);
    const layer = manifest.layers?.[0];
    if (layer === undefined || !isDigest(layer.digest)) return fail('it has no envelope layer');
    // The store holds blobs by content: what it returns hashes to the digest the manifest names.
    envelope = JSON.parse((await store.get(layer.digest)).toString('utf8')) as SignatureEnvelope;
  } catch (err) {
    return fail(`it cannot be read: ${(err as Error).message}`);
  }
  let payload: SignaturePayload;
  const bytes = Buffer.from(String(envelope.payload), 'base64');
  try {
    payload = JSON.parse(bytes.toString('utf8')) as SignaturePayload;
    const key = createPublicKey(String(envelope.publicKey));
    result.keyId = keyIdOf(key);
    result.publicKey = key.export({ type: 'spki', format: 'pem' }).toString();
    result.created = typeof payload.created === 'string' ? payload.created : null;
    if (envelope.algorithm !== KEY_ALGORITHM || key.asymmetricKeyType !== KEY_ALGORITHM)
      return fail(`the key is not ${KEY_ALGORITHM}`);
    if (!verify(null, bytes, key, Buffer.from(String(envelope.signature), 'base64')))
      return fail('the signature does not match the payload and key');
  } catch (err) {
    return fail(`the envelope is malformed: ${(err as Error).message}`);
  }
  if (payload.type !== PAYLOAD_TYPE) return fail(`the payload is not ${PAYLOAD_TYPE}`);
  if (payload.subject?.digest !== image) return fail(`the signed payload names ${String(payload.subject?.digest)}`);
  if (payload.keyId !== result.keyId) return fail('the payload names another key than the one that signed it');
  return { ...result, verified: true };
}
