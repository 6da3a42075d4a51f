/**
 * Short-lived bearer tokens of the Docker token flow (`GET /v2/token?scope=repository:NAME:pull,push`).
 * A token carries who asked and the repository actions they were granted at that moment; only its hash
 * is kept, in memory (a restart simply makes clients ask again). The actions granted never exceed what
 * the caller's role allows, so a token cannot widen an API token's rights.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../auth/roles';

export type RegistryAction = 'pull' | 'push' | 'delete';

export interface Access {
  type: 'repository' | 'registry';
  name: string;
  actions: RegistryAction[] | ['*'];
}

export interface Grant {
  /** Undefined for an anonymous token (anonymous pulls of public repositories). */
  principal: Principal | undefined;
  access: Access[];
  expiresAt: number;
}

export const TOKEN_TTL_SECONDS = 300;

/** Parses `repository:NAME:pull,push` (NAME may contain slashes and a port-less host) or `registry:catalog:*`. */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((a) => a !== '');
  if (type === 'registry' && name === 'catalog') return { type, name, actions: ['*'] };
  if (type !== 'repository') return undefined;
  const known = actions.filter((a): a is RegistryAction => a === 'pull' || a === 'push' || a === 'delete');
  if (actions.includes('*')) return { type, name, actions: ['pull', 'push', 'delete'] };
  return { type, name, actions: known };
}

export class RegistryTokens {
  private readonly grants = new Map<string, Grant>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(principal: Principal | undefined, access: Access[], ttlSeconds = TOKEN_TTL_SECONDS): string {
    this.sweep();
    const token = `gr_${randomBytes(32).toString('base64url')}`;
    this.grants.set(hash(token), { principal, access, expiresAt: this.now() + ttlSeconds * 1000 });
    return token;
  }

  /** The grant behind a token, or undefined (unknown or expired). */
  verify(token: string): Grant | undefined {
    const grant = this.grants.get(hash(token));
    if (grant === undefined || grant.expiresAt <= this.now()) return undefined;
    return grant;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(key);
  }
}

/** The map is keyed by a hash, so a memory dump yields no usable token; lookup by key is not timing-sensitive. */
function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function allows(grant: Grant, type: Access['type'], name: string, action: RegistryAction | '*'): boolean {
  return grant.access.some(
    (a) =>
      a.type === type &&
      a.name === name &&
      ((a.actions as string[]).includes('*') || (a.actions as string[]).includes(action)),
  );
}
