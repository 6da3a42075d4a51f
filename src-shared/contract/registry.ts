import { z } from 'zod';
import { defineRequest } from './define';

const RegistryRepository = z.object({
  name: z.string(),
  tags: z.array(z.string()),
  manifests: z.number(),
  anonymous_pull: z.boolean(),
});

const REPOSITORY_NAME = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/, 'expected a repository name');

/** A manifest that names this one as its `subject` (a signature, an SBOM, an attestation). */
const RegistryReferrer = z.object({
  digest: z.string(),
  media_type: z.string(),
  artifact_type: z.string().optional(),
  size: z.number(),
  annotations: z.record(z.string(), z.string()),
});

/** One entry of an index: a platform's manifest (`present` false when the repository lacks it). */
const RegistryPlatformManifest = z.object({
  digest: z.string(),
  media_type: z.string(),
  platform: z.string().optional(),
  size: z.number(),
  content_size: z.number().optional(),
  present: z.boolean(),
});

const RegistryManifest = z.object({
  digest: z.string(),
  media_type: z.string(),
  /** What the media type is, in words a person reads: `image` (OCI or Docker schema 2) or `index`. */
  kind: z.enum(['image', 'index']),
  /** The manifest document's own bytes. */
  size: z.number(),
  /** Config plus layers as the descriptors declare them (an index: the sum over its present children). */
  content_size: z.number(),
  layers: z.number(),
  artifact_type: z.string().optional(),
  /** For an index: its platform children. */
  manifests: z.array(RegistryPlatformManifest),
  referrers: z.array(RegistryReferrer),
});

export const registryRequests = {
  'registry.repository': defineRequest({
    summary:
      'One registry repository in detail: each tag with its manifest (digest, media type, sizes, an index’s platform manifests) and the referrers that name it as their subject.',
    input: z.object({ repo: REPOSITORY_NAME }),
    output: z.object({
      name: z.string(),
      anonymous_pull: z.boolean(),
      tags: z.array(z.object({ tag: z.string(), manifest: RegistryManifest })),
      /** Manifests no tag points at (referrers, an index's children, superseded pushes). */
      untagged: z.number(),
    }),
    http: { method: 'GET', path: '/registry/repositories/{repo...}' },
    permission: 'registry:read',
  }),
  'registry.repositories': defineRequest({
    summary:
      'The repositories of the OCI registry served at /v2/ that the caller may read, with their tags, and what the registry stores (blobs are stored once, whatever the number of repositories).',
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
    input: z.object({ repo: REPOSITORY_NAME, enabled: z.boolean() }),
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
