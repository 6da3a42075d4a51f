import { useEffect, useMemo, useState } from 'react';
import { useBuilds, useStores } from '../../stores/context';
import { Dialog } from '../workspace/Dialog';
import {
  argFields,
  initialFields,
  parseLabels,
  requestFrom,
  targetStages,
  type BuildFormFields,
} from './build-form-model';

/** Everything `builds.create` takes, prefilled from the Dockerfile's summary (its ARGs and stages). */
export function BuildForm({ repo, dockerfile, onClose }: { repo: string; dockerfile: string; onClose(): void }) {
  const stores = useStores();
  const dockerfiles = useBuilds((s) => s.dockerfiles);
  const [fields, setFields] = useState<BuildFormFields>(() => initialFields(dockerfile, undefined));
  const [busy, setBusy] = useState(false);
  const definition = dockerfiles.list.find((d) => d.path === fields.dockerfile);
  const args = useMemo(() => argFields(definition), [definition]);
  const stages = targetStages(definition);
  const badLabels = parseLabels(fields.labels).bad;

  useEffect(() => void stores.builds.getState().loadDockerfiles(repo), [repo, stores]);
  // The summary arrives after the form opens: fill the ARGs in then, and again when the Dockerfile changes.
  useEffect(() => {
    setFields((f) => ({ ...f, args: initialFields(f.dockerfile, definition).args, target: '' }));
  }, [definition]);

  const change = <K extends keyof BuildFormFields>(key: K, value: BuildFormFields[K]) =>
    setFields((f) => ({ ...f, [key]: value }));

  const submit = async () => {
    setBusy(true);
    const build = await stores.builds.getState().start(requestFrom(repo, fields, args));
    setBusy(false);
    if (build) onClose();
  };

  const paths = dockerfiles.list.map((d) => d.path);
  if (!paths.includes(dockerfile)) paths.unshift(dockerfile);

  return (
    <Dialog
      title="Build an image"
      submitLabel={busy ? 'Starting…' : 'Start build'}
      canSubmit={!busy && badLabels.length === 0}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <div className="bf">
        <label>
          Dockerfile
          <select value={fields.dockerfile} onChange={(e) => change('dockerfile', e.target.value)}>
            {paths.map((path) => (
              <option key={path}>{path}</option>
            ))}
          </select>
        </label>
        <label>
          Context folder
          <input
            value={fields.context}
            placeholder="the Dockerfile's folder"
            onChange={(e) => change('context', e.target.value)}
          />
        </label>
        <fieldset>
          <legend>Build from</legend>
          <label>
            <input type="radio" checked={fields.ref === 'HEAD'} onChange={() => change('ref', 'HEAD')} /> The last
            commit (HEAD)
          </label>
          <label>
            <input type="radio" checked={fields.ref === 'worktree'} onChange={() => change('ref', 'worktree')} /> The
            work tree, saved but not committed
          </label>
        </fieldset>
        <label>
          Tags
          <input
            value={fields.tags}
            placeholder="app:dev app:latest"
            onChange={(e) => change('tags', e.target.value)}
          />
        </label>
        {args.length > 0 && (
          <fieldset>
            <legend>Build arguments</legend>
            {args.map((arg) => (
              <label key={arg.name}>
                <code>{arg.name}</code>
                <input
                  aria-label={`Build argument ${arg.name}`}
                  value={fields.args[arg.name] ?? ''}
                  placeholder={arg.default === null ? 'no default' : ''}
                  onChange={(e) => change('args', { ...fields.args, [arg.name]: e.target.value })}
                />
              </label>
            ))}
          </fieldset>
        )}
        <label>
          Labels
          <textarea
            rows={2}
            value={fields.labels}
            placeholder="key=value, one per line"
            aria-invalid={badLabels.length > 0}
            onChange={(e) => change('labels', e.target.value)}
          />
        </label>
        {badLabels.length > 0 && <p className="bf-problem">Not key=value: {badLabels.join(', ')}</p>}
        <label>
          Target stage
          <select value={fields.target} onChange={(e) => change('target', e.target.value)}>
            <option value="">The last stage</option>
            {stages.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label className="bf-check">
          <input type="checkbox" checked={fields.noCache} onChange={(e) => change('noCache', e.target.checked)} /> Build
          without the cache
        </label>
        {dockerfiles.problem && <p className="bf-problem">Could not read the Dockerfiles: {dockerfiles.problem}</p>}
      </div>
    </Dialog>
  );
}
