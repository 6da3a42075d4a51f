import { describe, expect, it } from 'vitest';
import { SecretStore, hashSecret, newSecret } from './tokens';

describe('SecretStore', () => {
  const admin = { id: 'admin', name: 'admin', role: 'admin' as const };

  it('issues prefixed random secrets and keeps only their hashes', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^govc_[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(secret);
    const store = new SecretStore();
    store.add(secret, admin);
    expect(JSON.stringify(store)).not.toContain(secret);
    expect(hashSecret(secret)).toHaveLength(32);
  });

  it('verifies the right secret, refuses others, and honours expiry and removal', () => {
    let now = 1000;
    const store = new SecretStore(() => now);
    store.add('govc_a', admin);
    store.add('govc_b', admin, 500);
    expect(store.verify('govc_a')).toEqual(admin);
    expect(store.verify('govc_x')).toBeUndefined();
    expect(store.verify(undefined)).toBeUndefined();
    expect(store.verify('govc_b')).toEqual(admin);
    now = 2000;
    expect(store.verify('govc_b')).toBeUndefined();
    store.remove('govc_a');
    expect(store.verify('govc_a')).toBeUndefined();
  });
});
