import { describe, expect, it } from 'vitest';
import { can, type Principal } from './roles';

describe('can', () => {
  const reader: Principal = { id: 'r', name: 'r', role: 'reader' };
  const dev: Principal = { id: 'd', name: 'd', role: 'developer' };
  const limited: Principal = { id: 'l', name: 'l', role: 'developer', repos: ['a'] };
  const granted: Principal = { id: 'g', name: 'g', role: 'guest', grants: { a: 'developer' } };

  it('follows the role', () => {
    expect(can(reader, 'repo:read')).toBe(true);
    expect(can(reader, 'repo:write')).toBe(false);
    expect(can(dev, 'container:build')).toBe(true);
    expect(can(dev, 'system:admin')).toBe(false);
    expect(can(dev, 'public')).toBe(true);
    expect(can(dev, 'authenticated')).toBe(true);
  });

  it('limits repository permissions to the listed repositories', () => {
    expect(can(limited, 'repo:write', 'a')).toBe(true);
    expect(can(limited, 'repo:write', 'b')).toBe(false);
  });

  it('scopes registry permissions to the named registry repository and those under it', () => {
    expect(can(limited, 'registry:write', 'a')).toBe(true);
    expect(can(limited, 'registry:write', 'a/cache')).toBe(true);
    expect(can(limited, 'registry:read', 'ab')).toBe(false); // a prefix of the name is not a parent
    expect(can(limited, 'registry:read', 'b/a')).toBe(false);
    expect(can(limited, 'repo:write', 'a/cache')).toBe(false); // git repositories match exactly
    expect(can(granted, 'registry:write', 'a/app')).toBe(true);
    expect(can(granted, 'registry:write', 'b')).toBe(false);
    expect(can(granted, 'registry:read', 'b')).toBe(true); // the guest role reads everywhere
    expect(can(granted, 'registry:write')).toBe(true); // some repository allows it
  });

  it('adds per-repository grants to the base role', () => {
    expect(can(granted, 'repo:write', 'a')).toBe(true);
    expect(can(granted, 'repo:write', 'b')).toBe(false);
    expect(can(granted, 'repo:write')).toBe(true); // some repository allows it; the handler sees which
    expect(can(granted, 'system:admin')).toBe(false);
  });
});
