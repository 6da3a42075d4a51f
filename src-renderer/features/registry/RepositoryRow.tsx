import type { RegistryRepository } from '../../bridge/registry';
import { useRegistry, useRegistryStore } from './registry-context';

/** One repository: its tags, manifest count and anonymous pull switch (with the engine's refusal, if any). */
export function RepositoryRow({ repository }: { repository: RegistryRepository }) {
  const store = useRegistryStore();
  const switching = useRegistry((s) => s.switching.includes(repository.name));
  const refusal = useRegistry((s) => s.refusals[repository.name]);
  return (
    <tr>
      <th scope="row" className="rv-mono">
        {repository.name}
      </th>
      <td>
        <ul className="rv-tags" aria-label={`Tags of ${repository.name}`}>
          {repository.tags.map((tag) => (
            <li key={tag} className="rv-mono">
              {tag}
            </li>
          ))}
        </ul>
      </td>
      <td>{repository.manifests}</td>
      <td>
        <label>
          <input
            type="checkbox"
            checked={repository.anonymous_pull}
            disabled={switching}
            onChange={(e) => void store.getState().setAnonymousPull(repository.name, e.target.checked)}
          />{' '}
          Anonymous pull
        </label>
        {refusal && (
          <p className="rv-problem" role="alert">
            {refusal}
          </p>
        )}
      </td>
    </tr>
  );
}
