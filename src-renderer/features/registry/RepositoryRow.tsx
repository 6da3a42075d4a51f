import type { RegistryRepository } from '../../bridge/registry';
import { RepositoryDetails } from './RepositoryDetails';
import { useRegistry, useRegistryStore } from './registry-context';

/**
 * One repository: its tags, manifest count and anonymous pull switch (with the engine's refusal, if any).
 * Its name is a disclosure button: expanded, a second row shows each tag's manifest.
 */
export function RepositoryRow({ repository }: { repository: RegistryRepository }) {
  const store = useRegistryStore();
  const switching = useRegistry((s) => s.switching.includes(repository.name));
  const refusal = useRegistry((s) => s.refusals[repository.name]);
  const expanded = useRegistry((s) => s.expanded.includes(repository.name));
  const detailsId = `rv-details-${repository.name.replace(/[^a-z0-9]/g, '-')}`;
  return (
    <>
      <tr>
        <th scope="row" className="rv-mono">
          <button
            type="button"
            className="rv-disclosure"
            aria-expanded={expanded}
            aria-controls={expanded ? detailsId : undefined}
            onClick={() => void store.getState().toggle(repository.name)}
          >
            <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {repository.name}
          </button>
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
      {expanded && (
        <tr id={detailsId} className="rv-details">
          <td colSpan={4}>
            <RepositoryDetails name={repository.name} />
          </td>
        </tr>
      )}
    </>
  );
}
