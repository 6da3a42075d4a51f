import { z } from 'zod';
import { defineRequest, queryInt } from './define';

export const AssignableRole = z.enum(['admin', 'developer', 'reader', 'guest']);

const TokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: AssignableRole,
  repos: z.array(z.string()).optional(),
  user: z.string().optional(),
  created_at: z.string(),
  expires_at: z.string().optional(),
  revoked_at: z.string().optional(),
  last_used_at: z.string().optional(),
  revoked: z.boolean(),
  expired: z.boolean(),
});

const User = z.object({
  id: z.string(),
  name: z.string(),
  role: AssignableRole,
  grants: z.record(z.string(), AssignableRole),
  created_at: z.string(),
});

const AuditEntry = z.object({
  seq: z.number(),
  time: z.string(),
  actor: z.string(),
  action: z.string(),
  via: z.enum(['ipc', 'http', 'cli']),
  outcome: z.enum(['ok', 'denied', 'error']),
  repo: z.string().optional(),
  code: z.string().optional(),
  target: z.string().optional(),
});

const Name = z.string().trim().min(1).max(100);

export const authRequests = {
  'auth.whoami': defineRequest({
    summary: 'Who the caller is: id, name, role, repository limits and grants.',
    input: z.object({}),
    output: z.object({
      id: z.string(),
      name: z.string(),
      role: z.string(),
      repos: z.array(z.string()).optional(),
      grants: z.record(z.string(), AssignableRole).optional(),
      permissions: z.array(z.string()),
    }),
    http: { method: 'GET', path: '/auth/whoami' },
    permission: 'authenticated',
  }),
  'tokens.create': defineRequest({
    summary: 'Creates an API token; the secret is in this response only.',
    input: z.object({
      name: Name,
      role: AssignableRole.optional(),
      repos: z.array(z.string().min(1)).max(1000).optional(),
      user: z.string().optional(),
      expires_in: z
        .number()
        .int()
        .positive()
        .max(10 * 365 * 24 * 3600)
        .optional(),
    }),
    output: TokenInfo.extend({ token: z.string() }),
    http: { method: 'POST', path: '/tokens', status: 201 },
    permission: 'system:admin',
  }),
  'tokens.list': defineRequest({
    summary: 'Lists API tokens (never their secrets).',
    input: z.object({}),
    output: z.object({ tokens: z.array(TokenInfo), count: z.number() }),
    http: { method: 'GET', path: '/tokens' },
    permission: 'system:admin',
  }),
  'tokens.revoke': defineRequest({
    summary: 'Revokes an API token; it stops working at once.',
    input: z.object({ id: z.string().min(1) }),
    output: TokenInfo,
    http: { method: 'DELETE', path: '/tokens/{id}' },
    permission: 'system:admin',
  }),
  'users.create': defineRequest({
    summary: 'Creates a user with a role and optional per-repository grants.',
    input: z.object({ name: Name, role: AssignableRole, grants: z.record(z.string(), AssignableRole).optional() }),
    output: User,
    http: { method: 'POST', path: '/users', status: 201 },
    permission: 'system:admin',
  }),
  'users.list': defineRequest({
    summary: 'Lists users.',
    input: z.object({}),
    output: z.object({ users: z.array(User), count: z.number() }),
    http: { method: 'GET', path: '/users' },
    permission: 'system:admin',
  }),
  'users.update': defineRequest({
    summary: "Changes a user's role or grants; their tokens follow at once.",
    input: z.object({
      id: z.string().min(1),
      role: AssignableRole.optional(),
      grants: z.record(z.string(), AssignableRole).optional(),
    }),
    output: User,
    http: { method: 'PATCH', path: '/users/{id}' },
    permission: 'system:admin',
  }),
  'users.delete': defineRequest({
    summary: 'Deletes a user and revokes their tokens.',
    input: z.object({ id: z.string().min(1) }),
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
    http: { method: 'DELETE', path: '/users/{id}' },
    permission: 'system:admin',
  }),
  'audit.list': defineRequest({
    summary: 'Queries the audit log, newest first.',
    input: z.object({
      actor: z.string().optional(),
      action: z.string().optional(),
      repo: z.string().optional(),
      outcome: z.enum(['ok', 'denied', 'error']).optional(),
      since: z.string().optional(),
      limit: queryInt.pipe(z.number().int().min(1).max(1000)).optional(),
    }),
    output: z.object({ entries: z.array(AuditEntry), count: z.number() }),
    http: { method: 'GET', path: '/audit' },
    permission: 'system:admin',
  }),
};

export const authEvents = {
  'auth.token.created': z.object({ id: z.string(), name: z.string(), role: z.string() }),
  'auth.token.revoked': z.object({ id: z.string() }),
  'auth.user.created': z.object({ id: z.string(), name: z.string(), role: z.string() }),
  'auth.user.updated': z.object({ id: z.string() }),
  'auth.user.deleted': z.object({ id: z.string() }),
  'auth.denied': z.object({ action: z.string(), reason: z.string() }),
};
