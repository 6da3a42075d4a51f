import { useState } from 'react';
import type { TokenRole } from '../../bridge';
import { useSettings, useStores } from '../../stores/context';

const ROLES: TokenRole[] = ['reader', 'developer', 'admin', 'guest'];

/** API tokens: list, create (the secret shown once, with a copy button) and revoke. */
export function TokensSection() {
  const stores = useStores();
  const tokens = useSettings((s) => s.tokens);
  const created = useSettings((s) => s.created);
  const problem = useSettings((s) => s.problems.tokens);
  const [name, setName] = useState('');
  const [role, setRole] = useState<TokenRole>('reader');
  const [copied, setCopied] = useState('');
  const actions = stores.settings.getState();

  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied');
    } catch (err) {
      setCopied(`Not copied: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <section aria-labelledby="settings-tokens">
      <h2 id="settings-tokens">API tokens</h2>
      <form
        className="settings-row"
        aria-label="New token"
        onSubmit={(e) => {
          e.preventDefault();
          void actions.createToken(name.trim(), role).then((ok) => ok && setName(''));
        }}
      >
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="ci-runner" />
        </label>
        <label>
          Role{' '}
          <select value={role} onChange={(e) => setRole(e.target.value as TokenRole)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!name.trim()}>
          Create token
        </button>
      </form>
      {created && (
        <div className="settings-secret" role="alert" aria-label="New token secret">
          <p>
            The secret of <strong>{created.name}</strong>, shown this once: copy it now.
          </p>
          <code>{created.token}</code>
          <button type="button" onClick={() => void copy(created.token)}>
            Copy
          </button>
          <span role="status">{copied}</span>
          <button
            type="button"
            onClick={() => {
              setCopied('');
              actions.forgetCreated();
            }}
          >
            Done
          </button>
        </div>
      )}
      {problem && <p className="settings-problem">{problem}</p>}
      <table className="settings-table" aria-label="Tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Created</th>
            <th>Last used</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td>{token.role}</td>
              <td>{new Date(token.created_at).toLocaleString()}</td>
              <td>{token.last_used_at ? new Date(token.last_used_at).toLocaleString() : 'never'}</td>
              <td>{token.revoked ? 'revoked' : token.expired ? 'expired' : 'active'}</td>
              <td>
                {!token.revoked && (
                  <button
                    type="button"
                    aria-label={`Revoke ${token.name}`}
                    onClick={() => void actions.revokeToken(token.id)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
