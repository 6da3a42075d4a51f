/**
 * Signing for the engine: its key, signing local images, and the list of each image's signatures. The list
 * is `<dataDir>/signing/signatures.json` (subject digest → signature manifests), and its digests are roots
 * of the store's GC, so a signature lives as long as the engine keeps it. Without a folder (tests), both
 * the key and the list live in memory.
 */
import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GovcError } from '../../../src-shared/errors';
import type { ContentStore } from '../build/store/content-store';
import type { Descriptor } from '../build/oci/types';
import { checkSignature, signManifest, type SignatureCheck } from './artifact';
import { generateSigningKey, keyIdOf, loadOrCreateSigningKey, type PublicKeyInfo, type SigningKey } from './keys';

type SignatureIndex = Record<string, Descriptor[]>;

export interface SignatureStatus extends SignatureCheck {
  /** Signed by a key of the trusted set (by default this engine's own key). */
  trusted: boolean;
}

export class SigningService {
  private key: SigningKey | undefined;
  private index: SignatureIndex;

  constructor(
    private readonly store: ContentStore,
    private readonly dir?: string,
  ) {
    this.index = dir === undefined ? {} : readIndex(join(dir, 'signatures.json'));
    store.addRoots(() => Object.values(this.index).flatMap((list) => list.map((d) => d.digest)));
  }

  /** The engine's key, made on first use rather than at start: an engine that never signs has none. */
  private signingKey(): SigningKey {
    this.key ??= this.dir === undefined ? generateSigningKey() : loadOrCreateSigningKey(this.dir);
    return this.key;
  }

  publicKey(): PublicKeyInfo {
    const { algorithm, keyId, publicKey } = this.signingKey();
    return { algorithm, keyId, publicKey };
  }

  /** A local image by name or manifest digest. */
  image(ref: string): Descriptor {
    const named = this.store.resolve(ref) ?? this.store.resolve(`${ref}:latest`);
    if (named !== undefined) return named;
    const byDigest = this.store.indexEntries().find((d) => d.digest === ref);
    if (byDigest !== undefined) return byDigest;
    throw new GovcError('IMAGE_NOT_FOUND', `No image named ${ref} in the local store`, { ref });
  }

  /** Signs a local image with the engine's key (or `key`, for tests' foreign signers). */
  async sign(ref: string, key: SigningKey = this.signingKey()): Promise<SignatureStatus> {
    const subject = this.image(ref);
    const artifact = await signManifest(this.store, subject, key);
    this.remember(subject.digest, artifact);
    const check = await checkSignature(this.store, artifact, subject.digest);
    return { ...check, trusted: this.trustedIds().has(check.keyId ?? '') };
  }

  /** Records an artifact as a signature of `subject` (also used by tests to plant forged ones). */
  remember(subject: string, artifact: Descriptor): void {
    const list = this.index[subject] ?? [];
    if (!list.some((d) => d.digest === artifact.digest)) this.index[subject] = [...list, artifact];
    if (this.dir !== undefined) writeIndex(join(this.dir, 'signatures.json'), this.index);
  }

  /** Every recorded signature of the image, each checked; `trusted` against `keys` (default: this engine's). */
  async signatures(digest: string, keys?: readonly string[]): Promise<SignatureStatus[]> {
    const trusted = this.trustedIds(keys);
    const checks = await Promise.all(
      (this.index[digest] ?? []).map((artifact) => checkSignature(this.store, artifact, digest)),
    );
    return checks.map((c) => ({ ...c, trusted: c.verified && trusted.has(c.keyId ?? '') }));
  }

  /**
   * Key ids from a policy's `signing.keys`: PEM public keys (their id is computed) or key ids as written.
   * None listed means this engine's own key.
   */
  trustedIds(keys: readonly string[] = []): Set<string> {
    if (keys.length === 0) return new Set([this.signingKey().keyId]);
    return new Set(keys.map((k) => (k.includes('-----BEGIN') ? pemKeyId(k) : k.trim().toLowerCase())));
  }
}

/** A PEM that does not parse trusts nobody (the policy report says so), rather than failing every push. */
function pemKeyId(pem: string): string {
  try {
    return keyIdOf(pem);
  } catch {
    return 'unreadable-key';
  }
}

function readIndex(path: string): SignatureIndex {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SignatureIndex;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new GovcError('INTERNAL', `${path} cannot be read: ${(err as Error).message}`, { path });
  }
}

/** Written beside and renamed, so a crash leaves the old list or the new one, never half of one. */
function writeIndex(path: string, index: SignatureIndex): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(`${path}.tmp`, JSON.stringify(index));
  renameSync(`${path}.tmp`, path);
}
