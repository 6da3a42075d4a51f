import type { Permission } from '../../../src-shared/contract';

export const ROLES = ['admin', 'developer', 'reader', 'guest'] as const;
export type AssignableRole = (typeof ROLES)[number];
/** `owner` is the desktop app's own user (its IPC); it cannot be given to a token. */
export type Role = 'owner' | AssignableRole;

const READ: Permission[] = ['repo:read', 'container:pull', 'registry:read'];
const WRITE: Permission[] = [...READ, 'repo:write', 'container:build', 'container:push', 'registry:write'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: [...WRITE, 'repo:admin', 'system:admin'],
  admin: [...WRITE, 'repo:admin', 'system:admin'],
  developer: WRITE,
  reader: READ,
  guest: ['container:pull', 'registry:read'],
};

/** Permissions that concern one repository: a token limited to some repositories has them only there. */
const REPO_SCOPED = new Set<Permission>([
  'repo:read',
  'repo:write',
  'repo:admin',
  'container:build',
  'container:push',
  'container:pull',
]);

/** Who is calling: the desktop app's own IPC is the local owner; HTTP callers are who their token says. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
  /** When set, repository permissions hold only for these repositories. */
  repos?: readonly string[];
  /** Per-repository roles that add to the base role for that repository. */
  grants?: Readonly<Record<string, AssignableRole>>;
}

export const LOCAL_OWNER: Principal = { id: 'local', name: 'local owner', role: 'owner' };

/**
 * Registry permissions are scoped too, by registry repository name: a grant (or a token's `repos` entry)
 * named `team/app` covers the registry repository `team/app` and every one under it (`team/app/cache`),
 * as a git repository `app` covers the images pushed as `app` or `app/…`. Docs: registry.md, "Per repository".
 */
const REGISTRY_SCOPED = new Set<Permission>(['registry:read', 'registry:write']);

export function isRepoScoped(permission: Permission): boolean {
  return REPO_SCOPED.has(permission) || REGISTRY_SCOPED.has(permission);
}

/** Whether a grant or `repos` entry named `key` covers the repository `repo` for this permission. */
function covers(permission: Permission, key: string, repo: string): boolean {
  return key === repo || (REGISTRY_SCOPED.has(permission) && repo.startsWith(`${key}/`));
}

/**
 * Whether the principal holds the permission (for the repository, when the request names one). Without a
 * repository, a grant on any repository is enough to pass; the handler then sees the repository.
 */
export function can(principal: Principal, permission: Permission, repo?: string): boolean {
  if (permission === 'public' || permission === 'authenticated') return true;
  const base = ROLE_PERMISSIONS[principal.role].includes(permission);
  const scoped = isRepoScoped(permission);
  if (!scoped) return base;
  const grants = principal.grants ?? {};
  if (repo === undefined) {
    return base || Object.values(grants).some((role) => ROLE_PERMISSIONS[role].includes(permission));
  }
  const granted = Object.entries(grants).some(
    ([key, role]) => covers(permission, key, repo) && ROLE_PERMISSIONS[role].includes(permission),
  );
  if (granted) return true;
  if (principal.repos !== undefined && !principal.repos.some((key) => covers(permission, key, repo))) return false;
  return base;
}
