/**
 * The token endpoint of the Docker token flow, `GET /v2/token?service=…&scope=…` (and the OAuth2
 * `POST /v2/token` with `grant_type=password` that Docker uses for logins). It authenticates the caller
 * (Basic with an API token as the password, a bearer API token, or nobody) and returns a short-lived token
 * whose scope is what was asked, cut down to what the caller may do.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Principal } from '../../core/auth/roles';
import { RegistryError } from '../../core/registry/errors';
import { TOKEN_TTL_SECONDS, parseScope, type Access, type RegistryAction } from '../../core/registry/tokens';
import { SERVICE, basicCredentials, mayAct, verifyApiToken, type RegistryContext } from './auth';
import { readBody } from './body';

function scopesOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  // Clients send several scopes as repeated parameters or space-separated in one.
  return values.flatMap((v) => String(v).split(' ')).filter((s) => s !== '');
}

function grantable(ctx: RegistryContext, principal: Principal | undefined, scopes: string[]): Access[] {
  const access: Access[] = [];
  for (const scope of scopes) {
    const asked = parseScope(scope);
    if (asked === undefined) continue;
    if (asked.type === 'registry') {
      if (principal !== undefined && can(principal, 'registry:read')) access.push(asked);
      continue;
    }
    const actions = (asked.actions as RegistryAction[]).filter((a) => mayAct(ctx, principal, asked.name, a));
    if (actions.length > 0) access.push({ type: 'repository', name: asked.name, actions });
  }
  return access;
}

function issue(ctx: RegistryContext, reply: FastifyReply, principal: Principal | undefined, scopes: string[]) {
  const access = grantable(ctx, principal, scopes);
  const token = ctx.engine.registry.tokens.issue(principal, access);
  return reply.header('cache-control', 'no-store').send({
    token,
    access_token: token,
    expires_in: TOKEN_TTL_SECONDS,
    issued_at: new Date().toISOString(),
    scope: access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' '),
  });
}

function refuse(reply: FastifyReply): RegistryError {
  reply.header('www-authenticate', `Basic realm="${SERVICE}"`);
  return new RegistryError('UNAUTHORIZED', 'Invalid credentials: the password must be an API token');
}

export async function tokenEndpoint(ctx: RegistryContext, request: FastifyRequest, reply: FastifyReply) {
  const query = request.query as Record<string, unknown>;
  if (request.method === 'GET') {
    const header = request.headers.authorization;
    let principal: Principal | undefined;
    const basic = basicCredentials(header);
    if (basic !== undefined && (basic[0] !== '' || basic[1] !== '')) {
      principal = verifyApiToken(ctx.auth, basic[1]);
      if (principal === undefined) throw refuse(reply);
    } else if (header !== undefined && /^Bearer\s/i.test(header)) {
      principal = verifyApiToken(ctx.auth, header.replace(/^Bearer\s+/i, '').trim());
      if (principal === undefined) throw refuse(reply);
    }
    return issue(ctx, reply, principal, scopesOf(query.scope));
  }
  if (request.method === 'POST') {
    const form = new URLSearchParams((await readBody(request.raw, 64 * 1024)).toString('utf8'));
    if (form.get('grant_type') !== 'password')
      throw new RegistryError('UNSUPPORTED', 'Only grant_type=password is supported', undefined, 400);
    const principal = verifyApiToken(ctx.auth, form.get('password') ?? '');
    if (principal === undefined) throw refuse(reply);
    return issue(ctx, reply, principal, scopesOf(form.getAll('scope')));
  }
  throw new RegistryError('UNSUPPORTED', `${request.method} is not supported on /v2/token`);
}
