import { useEffect, useMemo } from 'react';
import { useBuilds, useStores } from '../../stores/context';
import type { Change } from '../../stores/worktree';
import { isDockerfilePath } from '../builds/build-form-model';

/**
 * The Dockerfiles Commit and build can build: the engine's list for the work tree, plus changed ones it may
 * not have caught up with yet (a Dockerfile saved a moment ago), minus deleted ones.
 */
export function useDockerfileChoices(repo: string, changes: readonly Change[]): string[] {
  const stores = useStores();
  const known = useBuilds((s) => (s.dockerfiles.repo === repo ? s.dockerfiles.list : undefined));
  const changedDockerfiles = changes
    .filter((c) => c.badge !== 'D' && isDockerfilePath(c.path))
    .map((c) => c.path)
    .join('\n');
  const deleted = changes
    .filter((c) => c.badge === 'D')
    .map((c) => c.path)
    .join('\n');

  // Read again when the changed Dockerfiles change: a commit or a delete can add or remove one.
  useEffect(() => void stores.builds.getState().loadDockerfiles(repo), [repo, changedDockerfiles, deleted, stores]);

  return useMemo(() => {
    const gone = new Set(deleted.split('\n'));
    const paths = new Set([...(known ?? []).map((d) => d.path), ...changedDockerfiles.split('\n').filter(Boolean)]);
    return [...paths].filter((p) => !gone.has(p)).sort();
  }, [known, changedDockerfiles, deleted]);
}

export function DockerfileChoice({
  choices,
  value,
  onChange,
}: {
  choices: readonly string[];
  value: string;
  onChange(path: string): void;
}) {
  if (choices.length === 1) return <span className="ws-commit-build-file">{value}</span>;
  return (
    <select aria-label="Dockerfile to build" value={value} onChange={(e) => onChange(e.target.value)}>
      {choices.map((path) => (
        <option key={path}>{path}</option>
      ))}
    </select>
  );
}
