import { ROLE_PERMISSIONS } from '../auth/roles';
import type { Engine } from '../engine';
import type { Handlers } from './dispatch';

type AuthRequests =
  | 'auth.whoami'
  | 'tokens.create'
  | 'tokens.list'
  | 'tokens.revoke'
  | 'users.create'
  | 'users.list'
  | 'users.update'
  | 'users.delete'
  | 'audit.list';

export function authHandlers(engine: Engine): Pick<Handlers, AuthRequests> {
  const { auth, bus } = engine;
  return {
    'auth.whoami': (_input, { principal }) => ({
      id: principal.id,
      name: principal.name,
      role: principal.role,
      ...(principal.repos === undefined ? {} : { repos: [...principal.repos] }),
      ...(principal.grants === undefined ? {} : { grants: { ...principal.grants } }),
      permissions: [...ROLE_PERMISSIONS[principal.role]],
    }),
    'tokens.create': (input, ctx) => {
      const { info, token } = auth.createToken(input);
      bus.emit('auth.token.created', { id: info.id, name: info.name, role: info.role }, { actor: ctx.principal.id });
      return { ...info, token };
    },
    'tokens.list': () => {
      const tokens = auth.listTokens();
      return { tokens, count: tokens.length };
    },
    'tokens.revoke': ({ id }, ctx) => {
      const info = auth.revokeToken(id);
      bus.emit('auth.token.revoked', { id }, { actor: ctx.principal.id });
      return info;
    },
    'users.create': (input, ctx) => {
      const user = auth.createUser(input);
      bus.emit('auth.user.created', { id: user.id, name: user.name, role: user.role }, { actor: ctx.principal.id });
      return user;
    },
    'users.list': () => {
      const users = auth.listUsers();
      return { users, count: users.length };
    },
    'users.update': ({ id, ...change }, ctx) => {
      const user = auth.updateUser(id, change);
      bus.emit('auth.user.updated', { id: user.id }, { actor: ctx.principal.id });
      return user;
    },
    'users.delete': ({ id }, ctx) => {
      auth.deleteUser(id);
      bus.emit('auth.user.deleted', { id }, { actor: ctx.principal.id });
      return { id, deleted: true as const };
    },
    'audit.list': (query) => {
      const entries = engine.audit.query(query);
      return { entries, count: entries.length };
    },
  };
}
