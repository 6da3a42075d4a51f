/**
 * The engine's signing key: one ed25519 key pair, made on first use. With a folder it lives in
 * `<folder>/key.pem` (PKCS#8, owner-only), so signatures stay verifiable across restarts; without one it
 * lives only in memory. The private key never leaves this module: callers get `sign` and the public half.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GovcError } from '../../../src-shared/errors';

export const KEY_ALGORITHM = 'ed25519';

export interface PublicKeyInfo {
  algorithm: typeof KEY_ALGORITHM;
  /** The first 32 hex digits (128 bits) of sha256 over the key's DER SubjectPublicKeyInfo. */
  keyId: string;
  /** SPKI PEM, what a policy's `signing.keys` may list. */
  publicKey: string;
}

export interface SigningKey extends PublicKeyInfo {
  sign(payload: Buffer): Buffer;
}

/** The key id of a public key (any form node:crypto reads: PEM text or a KeyObject). */
export function keyIdOf(key: KeyObject | string): string {
  const object = typeof key === 'string' ? createPublicKey(key) : key;
  const der = object.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== KEY_ALGORITHM)
    throw new GovcError('INTERNAL', `The signing key is ${privateKey.asymmetricKeyType}, expected ${KEY_ALGORITHM}`);
  const publicKey = createPublicKey(privateKey);
  return {
    algorithm: KEY_ALGORITHM,
    keyId: keyIdOf(publicKey),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    // ed25519 hashes internally: node:crypto takes no digest name for it.
    sign: (payload) => sign(null, payload, privateKey),
  };
}

/** A fresh key that is never written anywhere (in-memory engines, and tests' foreign signers). */
export function generateSigningKey(): SigningKey {
  return fromPrivate(generateKeyPairSync(KEY_ALGORITHM).privateKey);
}

/** Reads `<dir>/key.pem`, or makes it (mode 0600) when there is none. */
export function loadOrCreateSigningKey(dir: string): SigningKey {
  const path = join(dir, 'key.pem');
  let pem: string | undefined;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (pem !== undefined) {
    try {
      return fromPrivate(createPrivateKey(pem));
    } catch (err) {
      // Never replace a key silently: every signature made with it would stop verifying.
      throw new GovcError('INTERNAL', `The signing key ${path} cannot be read: ${(err as Error).message}`, { path });
    }
  }
  const { privateKey } = generateKeyPairSync(KEY_ALGORITHM);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const text = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // `wx`: two engines starting on one folder must not overwrite each other's fresh key.
  try {
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(dir);
    throw err;
  }
  chmodSync(path, 0o600); // the umask may have taken bits from `mode`; this is exact
  return fromPrivate(privateKey);
}
