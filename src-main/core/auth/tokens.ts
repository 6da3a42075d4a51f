/**
 * Secrets the engine hands out (the admin token, browser sessions). Only their SHA-256 hashes are kept,
 * and lookups compare hashes in constant time, so a memory dump or a log never yields a usable secret.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from './roles';

export const TOKEN_PREFIX = 'govc_';

export function newSecret(prefix = TOKEN_PREFIX): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

interface Entry {
  hash: Buffer;
  principal: Principal;
  expiresAt?: number;
}

export class SecretStore {
  private readonly entries: Entry[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  add(secret: string, principal: Principal, ttlMs?: number): void {
    this.entries.push({
      hash: hashSecret(secret),
      principal,
      ...(ttlMs === undefined ? {} : { expiresAt: this.now() + ttlMs }),
    });
  }

  /** The principal a secret stands for, or undefined. Every entry is compared, so timing says nothing. */
  verify(secret: string | undefined): Principal | undefined {
    if (!secret) return undefined;
    const hash = hashSecret(secret);
    let found: Principal | undefined;
    const now = this.now();
    for (const entry of this.entries) {
      const equal = timingSafeEqual(entry.hash, hash);
      if (equal && (entry.expiresAt === undefined || entry.expiresAt > now)) found = entry.principal;
    }
    return found;
  }

  remove(secret: string): void {
    const hash = hashSecret(secret);
    const i = this.entries.findIndex((e) => timingSafeEqual(e.hash, hash));
    if (i >= 0) this.entries.splice(i, 1);
  }
}
