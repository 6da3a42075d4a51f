import type { Permission } from '../../../src-shared/contract';

export type Role = 'owner' | 'admin' | 'developer' | 'reader' | 'guest';

const READ: Permission[] = ['repo:read', 'container:pull', 'registry:read'];
const WRITE: Permission[] = [...READ, 'repo:write', 'container:build', 'container:push', 'registry:write'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: [...WRITE, 'repo:admin', 'system:admin'],
  admin: [...WRITE, 'repo:admin', 'system:admin'],
  developer: WRITE,
  reader: READ,
  guest: ['container:pull', 'registry:read'],
};

/** Who is calling: the desktop app's own IPC is the local owner; HTTP callers are who their token says. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

export const LOCAL_OWNER: Principal = { id: 'local', name: 'local owner', role: 'owner' };

export function can(principal: Principal, permission: Permission): boolean {
  return permission === 'public' || ROLE_PERMISSIONS[principal.role].includes(permission);
}
