/**
 * Automatic builds: `.govc/triggers.yaml` in the repository says which commits build which Dockerfiles.
 * Without the file nothing builds by itself: a build runs the repository's RUN commands, and that should
 * be asked for once, not assumed. With the file (even empty), the defaults are: on, every branch, every
 * Dockerfile in the tree, built when a commit changes it or a file of its context that `.dockerignore`
 * keeps, tagged `{name}:{branch}-{short_sha}`.
 */
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { GitTree } from '../build/context/git-source';
import { IgnoreMatcher } from '../build/context/ignore';
import { compilePattern } from '../build/context/pattern';

export const TRIGGERS_FILE = '.govc/triggers.yaml';
export const DEFAULT_TAG_TEMPLATE = '{name}:{branch}-{short_sha}';

const DockerfileRule = z.union([
  z.string().min(1),
  z.object({
    path: z.string().min(1),
    context: z.string().optional(),
    target: z.string().min(1).optional(),
    args: z.record(z.string(), z.string()).optional(),
    tags: z.array(z.string().min(1)).optional(),
  }),
]);

const TriggersFile = z
  .object({
    enabled: z.boolean().optional(),
    /** `on: false` reads as well as `enabled: false`. */
    on: z.boolean().optional(),
    branches: z.array(z.string().min(1)).optional(),
    paths: z.array(z.string().min(1)).optional(),
    dockerfiles: z.array(DockerfileRule).optional(),
    tag: z.string().min(1).optional(),
  })
  .strict();

export interface DockerfileTrigger {
  path: string;
  context?: string;
  target?: string;
  args?: Record<string, string>;
  tags?: string[];
}

export interface TriggerRules {
  enabled: boolean;
  branches: RegExp[];
  paths: RegExp[];
  /** Undefined: every Dockerfile in the tree. */
  dockerfiles: DockerfileTrigger[] | undefined;
  tags: string[];
}

export class TriggersError extends Error {
  override name = 'TriggersError';
}

export function parseTriggers(text: string): TriggerRules {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new TriggersError(`${TRIGGERS_FILE}: ${(err as Error).message}`);
  }
  const parsed = TriggersFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TriggersError(`${TRIGGERS_FILE}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const file = parsed.data;
  const globs = (patterns: string[] | undefined, field: string) =>
    (patterns ?? []).map((p) => {
      try {
        return compilePattern(p.replace(/^\/+/, ''));
      } catch (err) {
        throw new TriggersError(`${TRIGGERS_FILE}: ${field}: ${(err as Error).message}`);
      }
    });
  return {
    enabled: file.enabled ?? file.on ?? true,
    branches: file.branches ? globs(file.branches, 'branches') : [/^/],
    paths: globs(file.paths, 'paths'),
    dockerfiles: file.dockerfiles?.map((rule) => (typeof rule === 'string' ? { path: rule } : rule)),
    tags: [file.tag ?? DEFAULT_TAG_TEMPLATE],
  };
}

export function isDockerfileName(path: string): boolean {
  const name = posix.basename(path);
  if (name.endsWith('.dockerignore')) return false;
  return /^(Dockerfile|Containerfile)(\..+)?$/.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name);
}

export interface CommitInfo {
  repo: string;
  hash: string;
  branch: string;
  changed: readonly string[];
}

export interface PlannedBuild {
  dockerfile: string;
  context: string;
  target?: string;
  args: Record<string, string>;
  tags: string[];
}

/** The builds a commit asks for under the rules, reading each Dockerfile's .dockerignore from the tree. */
export async function plannedBuilds(tree: GitTree, rules: TriggerRules, commit: CommitInfo): Promise<PlannedBuild[]> {
  if (!rules.enabled || !rules.branches.some((re) => re.test(commit.branch))) return [];
  if (rules.paths.length > 0 && !commit.changed.some((p) => rules.paths.some((re) => re.test(p)))) return [];
  const candidates: DockerfileTrigger[] =
    rules.dockerfiles ?? [...tree.files.keys()].filter(isDockerfileName).map((path) => ({ path }));
  const out: PlannedBuild[] = [];
  for (const rule of candidates) {
    const dockerfile = rule.path.replace(/^\/+/, '');
    if (!tree.files.has(dockerfile)) continue;
    const folder = normalize(rule.context ?? posix.dirname(dockerfile));
    if (!(await touchesContext(tree, commit.changed, dockerfile, folder))) continue;
    out.push({
      dockerfile,
      context: folder,
      ...(rule.target === undefined ? {} : { target: rule.target }),
      args: rule.args ?? {},
      tags: (rule.tags ?? rules.tags).map((t) => fillTag(t, commit, dockerfile)),
    });
  }
  return out;
}

async function touchesContext(
  tree: GitTree,
  changed: readonly string[],
  dockerfile: string,
  folder: string,
): Promise<boolean> {
  const ignoreFiles = [`${dockerfile}.dockerignore`, folder === '' ? '.dockerignore' : `${folder}/.dockerignore`];
  if (changed.some((p) => p === dockerfile || ignoreFiles.includes(p))) return true;
  const ignoreFile = ignoreFiles.find((p) => tree.files.has(p));
  const ignore = ignoreFile
    ? IgnoreMatcher.fromText((await tree.readBlob(tree.files.get(ignoreFile)!.oid)).toString('utf8'))
    : undefined;
  const prefix = folder === '' ? '' : `${folder}/`;
  return changed.some((p) => p.startsWith(prefix) && !ignore?.ignores(p.slice(prefix.length)));
}

function normalize(folder: string): string {
  const clean = posix.normalize(folder.replace(/^\/+/, ''));
  return clean === '.' ? '' : clean.replace(/\/+$/, '');
}

/** `{repo}`, `{name}` (the repo, or the Dockerfile's folder/suffix), `{branch}`, `{sha}`, `{short_sha}`. */
export function fillTag(template: string, commit: CommitInfo, dockerfile: string): string {
  const dir = posix.dirname(dockerfile);
  const suffix = /^(?:Dockerfile|Containerfile)\.(.+)$/.exec(posix.basename(dockerfile))?.[1];
  const name = [dir === '.' ? commit.repo : `${commit.repo}-${dir.replace(/\//g, '-')}`, suffix]
    .filter(Boolean)
    .join('-');
  const values: Record<string, string> = {
    repo: imageName(commit.repo),
    name: imageName(name),
    branch: tagPart(commit.branch),
    sha: commit.hash,
    short_sha: commit.hash.slice(0, 7),
  };
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

function imageName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._/-]+/g, '-');
}

function tagPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 100);
}
