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
    expect(can(limited, 'registry:write', 'b')).toBe(true); // not repository-scoped
  });

  it('adds per-repository grants to the base role', () => {
    expect(can(granted, 'repo:write', 'a')).toBe(true);
    expect(can(granted, 'repo:write', 'b')).toBe(false);
    expect(can(granted, 'repo:write')).toBe(true); // some repository allows it; the handler sees which
    expect(can(granted, 'system:admin')).toBe(false);
  });
});
