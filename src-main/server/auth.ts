/**
 * Who an HTTP request comes from: an API token in `Authorization: Bearer`, or the session cookie a browser
 * got by opening the ready URL. The server keeps only hashes of both.
 */
import type { FastifyRequest } from 'fastify';
import { type Principal } from '../core/auth/roles';
import { SecretStore, newSecret } from '../core/auth/tokens';

export const SESSION_COOKIE = 'govc_session';
const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export type AuthMethod = 'bearer' | 'cookie';

export interface Authenticated {
  principal: Principal;
  method: AuthMethod;
}

export class ServerAuth {
  readonly tokens = new SecretStore();
  private readonly sessions = new SecretStore();

  /** Registers the admin token that the ready URL carries (given, or generated and returned once). */
  addAdminToken(token: string): void {
    this.tokens.add(token, { id: 'admin', name: 'admin token', role: 'admin' });
  }

  /** Exchanges a valid token for a fresh session secret (the cookie's value), or undefined. */
  openSession(token: string): string | undefined {
    const principal = this.tokens.verify(token);
    if (!principal) return undefined;
    const session = newSecret('gs_');
    this.sessions.add(session, principal, SESSION_TTL_MS);
    return session;
  }

  authenticate(request: FastifyRequest): Authenticated | undefined {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match ? this.tokens.verify(match[1]) : undefined;
      return principal ? { principal, method: 'bearer' } : undefined;
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    const principal = this.sessions.verify(cookie);
    return principal ? { principal, method: 'cookie' } : undefined;
  }
}
