import { can } from '../auth/roles';
import type { Engine } from '../engine';
import type { Handlers } from './dispatch';

type BuildRequests = Extract<keyof Handlers, `builds.${string}` | 'engines.list'>;

export function buildHandlers(engine: Engine): Pick<Handlers, BuildRequests> {
  const builds = engine.builds;
  return {
    'builds.create': (input, ctx) => builds.create(input, ctx.principal.id),
    'builds.list': async ({ repo, ...filter }) => {
      // An unknown repository is a 404, not an empty history.
      await engine.repos.get(repo);
      const { builds: page, total } = await builds.list(repo, filter);
      return { builds: page, count: page.length, total };
    },
    'builds.get': ({ repo, id }) => builds.get(repo, id),
    'builds.cancel': ({ repo, id }) => builds.cancel(repo, id),
    'builds.logs': async ({ repo, id }) => {
      const { build, log } = await builds.logs(repo, id);
      return { id: build.id, status: build.status, steps: log.perStep() };
    },
    'builds.compare': ({ repo, id, other }) => builds.compare(repo, id, other),
    'builds.active': async (_input, ctx) => {
      const visible = (await builds.active()).filter((b) => can(ctx.principal, 'repo:read', b.repo));
      return {
        builds: visible,
        running: visible.filter((b) => b.status === 'running').length,
        pending: visible.filter((b) => b.status === 'pending').length,
      };
    },
    'builds.settings.get': () => builds.settings(),
    'builds.settings.set': (change) => builds.updateSettings(change),
    'builds.cache.stats': () => builds.cacheStats(),
    'builds.cache.prune': ({ max_bytes, all }) => builds.pruneCache(all ? 0 : (max_bytes ?? 0)),
    'engines.list': async () => ({ engines: await builds.engines.list() }),
  };
}
