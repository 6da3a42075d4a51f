/**
 * Who an HTTP request comes from: an API token in `Authorization: Bearer` (the server's admin token, or
 * one made with POST /api/v1/tokens), or the session cookie a browser got by opening the ready URL. Only
 * hashes of tokens and sessions are kept.
 */
import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../core/auth/service';
import type { Principal } from '../core/auth/roles';
import { SecretStore, newSecret } from '../core/auth/tokens';

export const SESSION_COOKIE = 'govc_session';
const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export type AuthMethod = 'bearer' | 'cookie';

export interface Authenticated {
  principal: Principal;
  method: AuthMethod;
}

export class ServerAuth {
  /** The token `govc serve` was started with (or generated); it acts as an admin. */
  private readonly adminTokens = new SecretStore();
  private readonly sessions = new SecretStore();

  constructor(private readonly tokens?: AuthService) {}

  addAdminToken(token: string): void {
    this.adminTokens.add(token, { id: 'admin', name: 'admin token', role: 'admin' });
  }

  /** The principal behind a token (admin or API token), for doors that carry it elsewhere, like the registry's Basic auth. */
  verifyToken(token: string | undefined): Principal | undefined {
    if (!token) return undefined;
    return this.adminTokens.verify(token) ?? this.tokens?.verify(token);
  }

  /** Exchanges a valid token for a fresh session secret (the cookie's value), or undefined. */
  openSession(token: string): string | undefined {
    const principal = this.verifyToken(token);
    if (!principal) return undefined;
    const session = newSecret('gs_');
    this.sessions.add(session, principal, SESSION_TTL_MS);
    return session;
  }

  authenticate(request: FastifyRequest): Authenticated | undefined {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = this.verifyToken(match?.[1]);
      return principal ? { principal, method: 'bearer' } : undefined;
    }
    const principal = this.sessions.verify(request.cookies?.[SESSION_COOKIE]);
    return principal ? { principal, method: 'cookie' } : undefined;
  }
}
