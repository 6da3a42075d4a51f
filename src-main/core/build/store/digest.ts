/**
 * Content digests as the OCI image spec writes them: `sha256:<64 lowercase hex>`. Only sha256 is produced;
 * anything else is refused on input rather than trusted, since a digest we cannot recompute verifies nothing.
 */
import { createHash } from 'node:crypto';
import { GovcError } from '../../../../src-shared/errors';

export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

export function assertDigest(value: unknown): Digest {
  if (!isDigest(value)) throw new GovcError('BAD_DIGEST', `Not a sha256 digest: ${String(value).slice(0, 80)}`);
  return value;
}

export function sha256(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The hex part, which names the blob file under `blobs/sha256/`. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}
