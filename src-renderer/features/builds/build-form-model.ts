/** The build form's fields, and the request they make. Pure, so it is tested without a page. */
import type { BuildRequest, DockerfileDefinition } from '../../bridge';

export interface BuildFormFields {
  dockerfile: string;
  context: string;
  ref: 'HEAD' | 'worktree';
  tags: string;
  args: Record<string, string>;
  labels: string;
  target: string;
  noCache: boolean;
}

export interface ArgField {
  name: string;
  /** The Dockerfile's default, or null when it has none. */
  default: string | null;
}

/** Each ARG once (a global ARG re-declared in a stage is one build arg), in the order written. */
export function argFields(definition: DockerfileDefinition | undefined): ArgField[] {
  const seen = new Map<string, ArgField>();
  for (const arg of definition?.summary.args ?? []) {
    const known = seen.get(arg.name);
    if (!known) seen.set(arg.name, { name: arg.name, default: arg.default });
    else if (known.default === null && arg.default !== null) known.default = arg.default;
  }
  return [...seen.values()];
}

/** Stages a build can stop at: only named ones can be given as a target. */
export function targetStages(definition: DockerfileDefinition | undefined): string[] {
  return (definition?.summary.stages ?? []).flatMap((stage) => (stage.name ? [stage.name] : []));
}

export function initialFields(dockerfile: string, definition: DockerfileDefinition | undefined): BuildFormFields {
  return {
    dockerfile,
    context: '',
    ref: 'HEAD',
    tags: '',
    args: Object.fromEntries(argFields(definition).map((arg) => [arg.name, arg.default ?? ''])),
    labels: '',
    target: '',
    noCache: false,
  };
}

/** `key=value` per line (or separated by commas); lines without `=` are left for the user to fix. */
export function parseLabels(text: string): { labels: Record<string, string>; bad: string[] } {
  const labels: Record<string, string> = {};
  const bad: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) bad.push(line);
    else labels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { labels, bad };
}

export function requestFrom(repo: string, fields: BuildFormFields, argDefaults: readonly ArgField[]): BuildRequest {
  const tags = fields.tags.split(/[\s,]+/).filter(Boolean);
  // Only what differs from the Dockerfile's defaults: the record then says what was really chosen.
  const args = Object.fromEntries(
    Object.entries(fields.args).filter(([name, value]) => {
      const arg = argDefaults.find((a) => a.name === name);
      return arg?.default === null ? value !== '' : value !== arg?.default;
    }),
  );
  const { labels } = parseLabels(fields.labels);
  return {
    repo,
    dockerfile: fields.dockerfile,
    ...(fields.context.trim() ? { context: fields.context.trim() } : {}),
    ref: fields.ref,
    ...(tags.length > 0 ? { tags } : {}),
    ...(Object.keys(args).length > 0 ? { args } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(fields.target ? { target: fields.target } : {}),
    ...(fields.noCache ? { no_cache: true } : {}),
  };
}

/** Dockerfile, Containerfile, Dockerfile.prod, api.Dockerfile… */
export function isDockerfilePath(path: string | null | undefined): path is string {
  const name = path?.split('/').pop() ?? '';
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name);
}
