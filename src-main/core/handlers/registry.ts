import { can } from '../auth/roles';
import type { Engine } from '../engine';
import { describeRepository } from '../registry/details';
import type { Handlers } from './dispatch';

type RegistryRequests = 'registry.repositories' | 'registry.repository' | 'registry.anonymousPull.set' | 'registry.gc';

export function registryHandlers(engine: Engine): Pick<Handlers, RegistryRequests> {
  const registry = engine.registry;
  return {
    'registry.repositories': (_input, { principal }) => {
      // Like /v2/_catalog: only the repositories the caller may read (blob totals are the whole store's).
      const readable = registry.repos.all().filter((repo) => can(principal, 'registry:read', repo.name));
      const repositories = readable.map((repo) => ({
        name: repo.name,
        tags: [...repo.tags.keys()].sort(),
        manifests: repo.manifests.size,
        anonymous_pull: registry.anonymousPull(repo.name),
      }));
      repositories.sort((a, b) => (a.name < b.name ? -1 : 1));
      return {
        repositories,
        count: repositories.length,
        blobs: registry.store.list().length,
        bytes: registry.store.bytes(),
        persistent: registry.persistent,
      };
    },
    'registry.repository': async ({ repo }) => ({
      ...(await describeRepository(registry.repos.get(repo), (digest) => registry.store.get(digest), repo)),
      anonymous_pull: registry.anonymousPull(repo),
    }),
    'registry.anonymousPull.set': ({ repo, enabled }) => {
      registry.setAnonymousPull(repo, enabled);
      return { repo, anonymous_pull: registry.anonymousPull(repo) };
    },
    'registry.gc': async ({ grace_seconds }) => {
      const report = await registry.gc(grace_seconds === undefined ? {} : { graceMs: grace_seconds * 1000 });
      return { removed: report.removed.length, freed_bytes: report.freedBytes, uploads_expired: report.uploadsExpired };
    },
  };
}
