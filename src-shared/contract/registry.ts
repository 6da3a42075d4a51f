import { z } from 'zod';
import { defineRequest } from './define';

const RegistryRepository = z.object({
  name: z.string(),
  tags: z.array(z.string()),
  manifests: z.number(),
  anonymous_pull: z.boolean(),
});

export const registryRequests = {
  'registry.repositories': defineRequest({
    summary:
      'The repositories of the OCI registry served at /v2/, with their tags, and what the registry stores (blobs are stored once, whatever the number of repositories).',
    input: z.object({}),
    output: z.object({
      repositories: z.array(RegistryRepository),
      count: z.number(),
      blobs: z.number(),
      bytes: z.number(),
      persistent: z.boolean(),
    }),
    http: { method: 'GET', path: '/registry/repositories' },
    permission: 'registry:read',
  }),
  'registry.anonymousPull.set': defineRequest({
    summary:
      'Allows (or stops allowing) pulls of one registry repository without credentials. Pushes always need registry:write.',
    input: z.object({
      repo: z
        .string()
        .min(1)
        .max(200)
        .regex(
          /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/,
          'expected a repository name',
        ),
      enabled: z.boolean(),
    }),
    output: z.object({ repo: z.string(), anonymous_pull: z.boolean() }),
    http: { method: 'PUT', path: '/registry/anonymous-pull/{repo...}' },
    permission: 'repo:admin',
  }),
  'registry.gc': defineRequest({
    summary:
      'Removes registry blobs that no manifest references and that no push touched within the grace period; aborts stale uploads.',
    input: z.object({ grace_seconds: z.number().int().min(0).optional() }),
    output: z.object({ removed: z.number(), freed_bytes: z.number(), uploads_expired: z.number() }),
    http: { method: 'POST', path: '/registry/gc' },
    permission: 'system:admin',
  }),
};

export const registryEvents = {
  'registry.push': z.object({
    repository: z.string(),
    reference: z.string(),
    digest: z.string(),
    media_type: z.string(),
  }),
  'registry.pull': z.object({ repository: z.string(), reference: z.string(), digest: z.string() }),
  /** A blob of an `images.push`/`images.pull` (or a build's FROM) moving; spaced out for large blobs. */
  'registry.transfer.progress': z.object({
    direction: z.enum(['push', 'pull']),
    reference: z.string(),
    digest: z.string(),
    state: z.enum(['started', 'progress', 'resumed', 'done', 'skipped', 'mounted']),
    bytes: z.number(),
    total: z.number(),
  }),
};
