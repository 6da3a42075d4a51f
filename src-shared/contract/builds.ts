/**
 * Builds: images built from a repository's Dockerfiles by the engine's build queue. A build is a task with
 * an id, a status, live events (`build.*`, step ids `#N` in order) and a record that outlives it (steps,
 * cache hits and miss reasons, bounded logs, the image). The raw log route
 * (`GET /repos/{repo}/containers/builds/{id}/logs[?follow=true]`, text/plain) is the server's own; its
 * JSON equivalent here is `builds.logs`.
 */
import { z } from 'zod';
import { defineRequest, queryInt } from './define';

const repo = z.string().min(1).max(64);
const buildId = z.string().regex(/^b[0-9a-z]{8,40}$/, 'expected a build id');
const repoPath = z.string().min(1).max(4096);
const keyValues = z.record(z.string().min(1).max(256), z.string().max(64 * 1024));

/** Which engine builds: `auto` takes the native one where it can run every step, else an external one. */
export const EngineName = z.enum(['native', 'docker', 'podman', 'buildah']);
export const EngineChoice = z.enum(['auto', 'native', 'docker', 'podman', 'buildah']);

export const EngineStatus = z.object({
  name: EngineName,
  available: z.boolean(),
  /** Why an engine cannot build here (not on PATH, daemon down, no sandbox). */
  reason: z.string().optional(),
  version: z.string().optional(),
});

export const BuildStatus = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']);
export type BuildStatus = z.infer<typeof BuildStatus>;

export const BuildStep = z.object({
  /** `#1`, `#2`, … in the order the steps started: stable for the build's whole life. */
  id: z.string(),
  stage: z.string(),
  /** Position in its stage (1 is FROM) and the stage's step count. */
  position: z.number(),
  total: z.number(),
  text: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'cancelled']),
  /** FROM counts as cached, as in BuildKit. */
  cached: z.boolean(),
  miss_reason: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  /** The compressed layer the step produced (0: none); null for FROM and while running. */
  layer_size: z.number().nullable(),
  layer_digest: z.string().nullable(),
  log_lines: z.number(),
});
export type BuildStep = z.infer<typeof BuildStep>;

export const BuildError = z.object({ code: z.string(), message: z.string(), step: z.string().nullable() });

export const Build = z.object({
  id: z.string(),
  repo: z.string(),
  dockerfile: z.string(),
  /** The context folder within the repository ('' = its root). */
  context: z.string(),
  /** What was asked for: a branch, tag or commit, or `worktree`. */
  ref: z.string(),
  /** The commit built (for `worktree`, the HEAD the work tree sits on; null in an empty repository). */
  commit: z.string().nullable(),
  worktree: z.boolean(),
  trigger: z.enum(['manual', 'commit']),
  /** Older commits whose pending automatic build this one replaced. */
  coalesced: z.array(z.string()),
  actor: z.string(),
  tags: z.array(z.string()),
  args: z.record(z.string(), z.string()),
  labels: z.record(z.string(), z.string()),
  target: z.string().nullable(),
  platform: z.array(z.string()),
  no_cache: z.boolean(),
  /** The engine asked for (absent in records from before engines could be chosen: native). */
  engine: EngineChoice.optional(),
  /** The engine that ran the build, once it started. */
  engine_used: EngineName.nullable().optional(),
  status: BuildStatus,
  error: BuildError.nullable(),
  queued_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  digest: z.string().nullable(),
  /** Bytes of the image: manifest, config and compressed layers. */
  size: z.number().nullable(),
  steps: z.array(BuildStep),
  cached_steps: z.number(),
});
export type Build = z.infer<typeof Build>;

export const BuildStepDiff = z.object({
  /** Steps are matched by stage and text, then by position. */
  stage: z.string(),
  text: z.string(),
  a: z.string().nullable(),
  b: z.string().nullable(),
  change: z.enum(['same', 'changed', 'added', 'removed']),
  cached_a: z.boolean().nullable(),
  cached_b: z.boolean().nullable(),
  miss_reason_b: z.string().nullable(),
  duration_ms_delta: z.number().nullable(),
  layer_size_delta: z.number().nullable(),
});

export const BuildComparison = z.object({
  a: z.string(),
  b: z.string(),
  commits: z.object({ a: z.string().nullable(), b: z.string().nullable() }),
  steps: z.array(BuildStepDiff),
  duration_ms_delta: z.number().nullable(),
  size_delta: z.number().nullable(),
  same_image: z.boolean(),
});

export const BuildSettings = z.object({
  /** Builds running at once, across repositories. */
  concurrency: z.number().int().min(1).max(64),
  /** How long an automatic build waits for more commits before it may start (they coalesce into it). */
  auto_delay_ms: z.number().int().min(0).max(600_000),
  /** The engine of builds that do not name one. */
  default_engine: EngineChoice,
  /** Bound on the build cache's layer bytes; least recently used steps are forgotten past it. */
  cache_max_bytes: z.number().int().min(0),
});

const CacheStats = z.object({
  entries: z.number(),
  layers: z.number(),
  bytes: z.number(),
  max_bytes: z.number(),
  hits: z.number(),
  misses: z.number(),
});

const BuildInput = z.object({
  repo,
  dockerfile: repoPath,
  /** Defaults to the Dockerfile's folder. */
  context: z.string().max(4096).optional(),
  /** A branch, tag or commit (HEAD when absent), or `worktree` for uncommitted files. */
  ref: z.string().min(1).max(256).optional(),
  tags: z.array(z.string().min(1).max(256)).max(32).optional(),
  args: keyValues.optional(),
  labels: keyValues.optional(),
  target: z.string().min(1).max(128).optional(),
  platform: z
    .array(z.string().regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, 'expected os/arch'))
    .max(8)
    .optional(),
  no_cache: z.boolean().optional(),
  /** The settings' default engine when absent. */
  engine: EngineChoice.optional(),
});

export const buildRequests = {
  'builds.create': defineRequest({
    summary:
      'Queues a build of a Dockerfile in the repository (at a ref, HEAD by default, or the work tree); answers at once with the pending build.',
    input: BuildInput,
    output: Build,
    http: { method: 'POST', path: '/repos/{repo}/containers/build', status: 202 },
    permission: 'container:build',
  }),
  'builds.list': defineRequest({
    summary: "The repository's builds, newest first, with paging and filters.",
    input: z.object({
      repo,
      status: BuildStatus.optional(),
      dockerfile: repoPath.optional(),
      limit: queryInt.pipe(z.number().int().min(1).max(500)).default(50),
      offset: queryInt.pipe(z.number().int().min(0)).default(0),
    }),
    output: z.object({ builds: z.array(Build), count: z.number(), total: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/containers/builds' },
    permission: 'repo:read',
  }),
  'builds.get': defineRequest({
    summary: 'One build with its steps so far (then follow the build.* events for the rest).',
    input: z.object({ repo, id: buildId }),
    output: Build,
    http: { method: 'GET', path: '/repos/{repo}/containers/builds/{id}' },
    permission: 'repo:read',
  }),
  'builds.cancel': defineRequest({
    summary: 'Cancels a pending or running build (its RUN processes are killed); a finished build is returned as is.',
    input: z.object({ repo, id: buildId }),
    output: Build,
    http: { method: 'DELETE', path: '/repos/{repo}/containers/builds/{id}' },
    permission: 'container:build',
  }),
  'builds.logs': defineRequest({
    summary:
      "A build's logs per step (bounded: the first and last lines of each step, with a count of those left out).",
    input: z.object({ repo, id: buildId }),
    output: z.object({
      id: z.string(),
      status: BuildStatus,
      steps: z.array(z.object({ id: z.string(), lines: z.array(z.string()), omitted: z.number() })),
    }),
    http: { method: 'GET', path: '/repos/{repo}/containers/builds/{id}/step-logs' },
    permission: 'repo:read',
  }),
  'builds.compare': defineRequest({
    summary: 'Compares two builds step by step: what changed, which steps missed the cache and why, time and size.',
    input: z.object({ repo, id: buildId, other: buildId }),
    output: BuildComparison,
    http: { method: 'GET', path: '/repos/{repo}/containers/builds/{id}/compare/{other}' },
    permission: 'repo:read',
  }),
  'builds.active': defineRequest({
    summary: 'Pending and running builds across the repositories the caller may read, in queue order.',
    input: z.object({}),
    output: z.object({ builds: z.array(Build), running: z.number(), pending: z.number() }),
    http: { method: 'GET', path: '/builds/active' },
    permission: 'repo:read',
  }),
  'builds.settings.get': defineRequest({
    summary: 'The build queue settings.',
    input: z.object({}),
    output: BuildSettings,
    http: { method: 'GET', path: '/builds/settings' },
    permission: 'authenticated',
  }),
  'builds.settings.set': defineRequest({
    summary: 'Changes the build queue settings (kept under the data folder).',
    input: BuildSettings.partial(),
    output: BuildSettings,
    http: { method: 'PUT', path: '/builds/settings' },
    permission: 'system:admin',
  }),
  'builds.cache.stats': defineRequest({
    summary:
      "The build cache: steps and layers kept, their bytes against the limit, and lookups' hits and misses since start.",
    input: z.object({}),
    output: CacheStats,
    http: { method: 'GET', path: '/builds/cache' },
    permission: 'container:build',
  }),
  'builds.cache.prune': defineRequest({
    summary:
      'Forgets cached steps, least recently used first, until the layers left fit max_bytes (0 or absent with all: everything), then frees the blobs nothing refers to.',
    input: z.object({ max_bytes: z.number().int().min(0).optional(), all: z.boolean().optional() }),
    output: z.object({
      removed_entries: z.number(),
      released_bytes: z.number(),
      freed_blobs: z.number(),
      cache: CacheStats,
    }),
    http: { method: 'POST', path: '/builds/cache/prune' },
    permission: 'system:admin',
  }),
  'engines.list': defineRequest({
    summary: 'The build engines (native, docker, podman, buildah): which can build here, their versions, and why not.',
    input: z.object({}),
    output: z.object({ engines: z.array(EngineStatus) }),
    http: { method: 'GET', path: '/engines' },
    permission: 'authenticated',
  }),
};

const stepRef = { build: z.string(), step: z.string() };

export const buildEvents = {
  'build.queued': z.object({
    id: z.string(),
    dockerfile: z.string(),
    ref: z.string(),
    commit: z.string().nullable(),
    trigger: z.enum(['manual', 'commit']),
    /** Set when this build replaced a pending automatic build of an older commit. */
    replaced: z.string().nullable(),
  }),
  'build.started': z.object({ id: z.string(), dockerfile: z.string(), commit: z.string().nullable() }),
  'build.step.started': z.object({
    ...stepRef,
    stage: z.string(),
    position: z.number(),
    total: z.number(),
    text: z.string(),
  }),
  /** Lines in batches; past a step's retained head, `omitted` counts lines the stream skipped. */
  'build.step.log': z.object({ ...stepRef, lines: z.array(z.string()), omitted: z.number() }),
  'build.step.completed': z.object({
    ...stepRef,
    cached: z.boolean(),
    miss_reason: z.string().nullable(),
    duration_ms: z.number(),
    layer_size: z.number().nullable(),
    failed: z.boolean(),
  }),
  'build.completed': z.object({
    id: z.string(),
    digest: z.string(),
    size: z.number(),
    tags: z.array(z.string()),
    duration_ms: z.number(),
    steps: z.number(),
    cached_steps: z.number(),
  }),
  'build.failed': z.object({ id: z.string(), code: z.string(), message: z.string(), step: z.string().nullable() }),
  'build.cancelled': z.object({ id: z.string(), step: z.string().nullable() }),
};
