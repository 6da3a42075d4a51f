/**
 * Digests the registry accepts: `sha256:<64 hex>` and `sha512:<128 hex>`, lowercase as the OCI image spec
 * registers them. Any other algorithm is refused: a digest we cannot recompute would verify nothing.
 */
import { createHash, type Hash } from 'node:crypto';
import { RegistryError } from './errors';

export type DigestAlgorithm = 'sha256' | 'sha512';

const DIGEST_RE = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

export function isRegistryDigest(value: string): boolean {
  return DIGEST_RE.test(value);
}

/** The digest, or DIGEST_INVALID (400) naming what was wrong with it. */
export function parseDigest(value: unknown): string {
  if (typeof value !== 'string' || !DIGEST_RE.test(value)) {
    throw new RegistryError(
      'DIGEST_INVALID',
      `Not a supported digest (sha256:<64 hex> or sha512:<128 hex>): ${String(value).slice(0, 150)}`,
      { digest: String(value).slice(0, 150) },
    );
  }
  return value;
}

export function algorithmOf(digest: string): DigestAlgorithm {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}

export function parseAlgorithm(value: unknown): DigestAlgorithm {
  if (value === undefined || value === 'sha256') return 'sha256';
  if (value === 'sha512') return 'sha512';
  throw new RegistryError('DIGEST_INVALID', `Unsupported digest algorithm: ${String(value).slice(0, 40)}`);
}

export function newHash(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(data: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** The digest's hex part, which names its file under `blobs/<algorithm>/`. */
export function digestHex(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}
