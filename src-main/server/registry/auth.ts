/**
 * Who a registry request comes from and what it may do. Credentials: Basic (any user name, the password
 * an API token: `skopeo --creds any:<token>`), `Bearer <API token>`, or `Bearer <registry token>` from
 * the token endpoint (the Docker token flow). Refusals carry the challenges registry clients expect:
 * 401 with `WWW-Authenticate: Bearer realm=…/v2/token,service,scope` (and Basic), 403 DENIED for a
 * caller whose role lacks the permission.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '../../../src-shared/contract';
import { can, type Principal } from '../../core/auth/roles';
import type { Engine } from '../../core/engine';
import { RegistryError } from '../../core/registry/errors';
import { allows, type Grant, type RegistryAction } from '../../core/registry/tokens';
import type { ServerAuth } from '../auth';

export const SERVICE = 'govc-registry';

export interface RegistryContext {
  engine: Engine;
  auth: ServerAuth;
}

/** The caller: a principal (from an API token), a registry token's grant, both, or neither (anonymous). */
export interface Identity {
  principal?: Principal;
  grant?: Grant;
}

export type Need =
  { type: 'repository'; name: string; action: RegistryAction } | { type: 'catalog' } | { type: 'base' };

/**
 * An API token's principal. ServerAuth checks the admin token and API tokens but only from a request's
 * Authorization header, so the secret is presented to it that way.
 */
export function verifyApiToken(auth: ServerAuth, secret: string): Principal | undefined {
  return secret === '' ? undefined : auth.verifyToken(secret);
}

/** Basic credentials as [user, password]; undefined when the header is not Basic. */
export function basicCredentials(header: string | undefined): [string, string] | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
}

/** The identity behind a request's credentials; UNAUTHORIZED for credentials that are present but invalid. */
export function identify(ctx: RegistryContext, request: FastifyRequest): Identity {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') return {};
  const basic = basicCredentials(header);
  if (basic !== undefined) {
    if (basic[0] === '' && basic[1] === '') return {}; // clients without credentials may still send "Basic Og=="
    const principal = verifyApiToken(ctx.auth, basic[1]);
    if (principal === undefined)
      throw new RegistryError('UNAUTHORIZED', 'Invalid credentials: the password must be an API token');
    return { principal };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer !== undefined) {
    const grant = ctx.engine.registry.tokens.verify(bearer);
    if (grant !== undefined) return { ...(grant.principal ? { principal: grant.principal } : {}), grant };
    const principal = verifyApiToken(ctx.auth, bearer);
    if (principal !== undefined) return { principal };
  }
  throw new RegistryError('UNAUTHORIZED', 'Invalid or expired credentials');
}

export function permissionFor(action: RegistryAction): Permission {
  return action === 'pull' ? 'registry:read' : 'registry:write';
}

/** Whether a principal (or anonymity) may do an action on a repository, regardless of any token scope. */
export function mayAct(
  ctx: RegistryContext,
  principal: Principal | undefined,
  name: string,
  action: RegistryAction,
): boolean {
  if (principal === undefined) return action === 'pull' && ctx.engine.registry.anonymousPull(name);
  return can(principal, permissionFor(action), name);
}

export function scopeOf(need: Need): string | undefined {
  if (need.type === 'catalog') return 'registry:catalog:*';
  if (need.type === 'base') return undefined;
  return `repository:${need.name}:${need.action === 'pull' ? 'pull' : need.action === 'push' ? 'pull,push' : 'delete'}`;
}

export function challenge(
  request: FastifyRequest,
  need: Need,
  error?: 'insufficient_scope' | 'invalid_token',
): string[] {
  const realm = `http://${request.headers.host ?? '127.0.0.1'}/v2/token`;
  const scope = scopeOf(need);
  const bearer = [`realm="${realm}"`, `service="${SERVICE}"`];
  if (scope !== undefined) bearer.push(`scope="${scope}"`);
  if (error !== undefined) bearer.push(`error="${error}"`);
  return [`Bearer ${bearer.join(',')}`, `Basic realm="${SERVICE}"`];
}

function unauthorized(
  request: FastifyRequest,
  reply: FastifyReply,
  need: Need,
  message: string,
  error?: 'insufficient_scope',
): RegistryError {
  reply.header('www-authenticate', challenge(request, need, error));
  return new RegistryError('UNAUTHORIZED', message, scopeOf(need) === undefined ? undefined : { scope: scopeOf(need) });
}

/**
 * Authorises one request or throws: 401 with a challenge when credentials are missing (or a registry token
 * lacks the scope, so the client fetches a new one), 403 DENIED when the caller's role forbids it.
 */
export function authorize(ctx: RegistryContext, request: FastifyRequest, reply: FastifyReply, need: Need): Identity {
  let identity: Identity;
  try {
    identity = identify(ctx, request);
  } catch (err) {
    if (err instanceof RegistryError) reply.header('www-authenticate', challenge(request, need, 'invalid_token'));
    audit(ctx, request, undefined, 'UNAUTHORIZED');
    throw err;
  }
  const { principal, grant } = identity;
  if (need.type === 'base') {
    if (principal !== undefined || grant !== undefined) return identity;
    throw unauthorized(
      request,
      reply,
      need,
      'This registry needs credentials: an API token as the password, or a token from /v2/token',
    );
  }
  const action = need.type === 'catalog' ? 'pull' : need.action;
  const allowed =
    need.type === 'catalog'
      ? principal !== undefined && can(principal, 'registry:read')
      : mayAct(ctx, principal, need.name, action);
  const scoped =
    grant === undefined ||
    (need.type === 'catalog'
      ? allows(grant, 'registry', 'catalog', '*')
      : allows(grant, 'repository', need.name, action));
  if (allowed && scoped) return identity;
  if (principal === undefined) {
    audit(ctx, request, undefined, 'UNAUTHORIZED');
    throw unauthorized(request, reply, need, 'Authentication required');
  }
  if (allowed) throw unauthorized(request, reply, need, 'The token does not cover this request', 'insufficient_scope');
  audit(ctx, request, principal, 'DENIED');
  const permission = need.type === 'catalog' ? 'registry:read' : permissionFor(action);
  throw new RegistryError(
    'DENIED',
    `This request needs the ${permission} permission${need.type === 'repository' ? ` on ${need.name}` : ''}`,
    { permission },
  );
}

function audit(ctx: RegistryContext, request: FastifyRequest, principal: Principal | undefined, code: string): void {
  ctx.engine.audit.record({
    actor: principal?.id ?? 'anonymous',
    action: `${request.method} /v2/`,
    via: 'http',
    outcome: 'denied',
    code,
  });
}
