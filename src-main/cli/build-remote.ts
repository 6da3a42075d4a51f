/**
 * `govc build --server URL --repo R`: the same command, but the build runs in a govc server's queue from the
 * repository's tree (a commit, or the work tree with `--ref worktree`). The log streams to stderr while it
 * runs, Ctrl-C cancels the build on the server, and the digest is the last line on stdout, as locally.
 */
import type { Build } from '../../src-shared/contract';
import { API_PREFIX, createHttpClient } from '../../src-shared/client';
import { GovcError } from '../../src-shared/errors';

export interface RemoteBuild {
  server: string;
  token: string | undefined;
  repo: string;
  dockerfile: string;
  context: string | undefined;
  ref: string | undefined;
  tags: string[];
  args: Record<string, string>;
  labels: Record<string, string>;
  target: string | undefined;
  noCache: boolean;
  progress: 'plain' | 'json';
}

export async function buildRemote(options: RemoteBuild): Promise<number> {
  const server = options.server.replace(/\/+$/, '');
  const client = createHttpClient({ baseUrl: server, ...(options.token ? { token: options.token } : {}) });
  const { repo } = options;
  const queued = await client.invoke('builds.create', {
    repo,
    dockerfile: options.dockerfile,
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.ref === undefined ? {} : { ref: options.ref }),
    tags: options.tags,
    args: options.args,
    labels: options.labels,
    ...(options.target === undefined ? {} : { target: options.target }),
    no_cache: options.noCache,
  });
  const id = queued.id;
  process.stderr.write(`build ${id} of ${repo}@${queued.commit?.slice(0, 12) ?? queued.ref} queued on ${server}\n`);
  const cancel = (): void => void client.invoke('builds.cancel', { repo, id }).catch(() => undefined);
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    const logs = await fetch(
      `${server}${API_PREFIX}/repos/${encodeURIComponent(repo)}/containers/builds/${id}/logs?follow=true`,
      { headers: options.token ? { authorization: `Bearer ${options.token}` } : {} },
    );
    if (logs.body) for await (const chunk of logs.body) process.stderr.write(chunk);
    const build = await client.invoke('builds.get', { repo, id });
    if (options.progress === 'json') process.stderr.write(`${JSON.stringify(build)}\n`);
    else process.stderr.write(summary(build));
    if (build.status === 'completed' && build.digest) {
      process.stdout.write(`${build.digest}\n`);
      return 0;
    }
    if (build.status === 'cancelled') throw new GovcError('CANCELLED', `Build ${id} was cancelled`);
    throw new GovcError(build.error?.code ?? 'INTERNAL', build.error?.message ?? `Build ${id} ${build.status}`);
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

/** The steps as BuildKit's plain progress ends them, then the tags and the count of cached steps. */
function summary(build: Build): string {
  const lines = build.steps.map((step) => {
    const end = step.cached
      ? 'CACHED'
      : step.status === 'completed'
        ? `DONE ${((step.duration_ms ?? 0) / 1000).toFixed(1)}s`
        : step.status.toUpperCase();
    const miss = step.miss_reason ? ` (cache miss: ${step.miss_reason})` : '';
    return `${step.id} [${step.stage} ${step.position}/${step.total}] ${step.text}: ${end}${miss}\n`;
  });
  for (const tag of build.status === 'completed' ? build.tags : []) lines.push(`naming to ${tag}\n`);
  lines.push(`${build.steps.length} steps, ${build.cached_steps} cached\n`);
  return lines.join('');
}
