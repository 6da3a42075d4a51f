/** The policy report's reads, served by the repository and definitions services (work tree or a ref). */
import { GovcError } from '../../../src-shared/errors';
import type { DefinitionService } from '../definitions/service';
import type { RepoService } from '../git/service';
import type { PolicyFiles } from './report';

export function repoPolicyFiles(
  services: { repos: RepoService; definitions: DefinitionService },
  repo: string,
  ref: string | undefined,
  actor: string,
): PolicyFiles {
  return {
    async readText(path) {
      const r = await services.repos.get(repo);
      try {
        return (await r.readText(path, ref)).text;
      } catch (err) {
        if (err instanceof GovcError && err.code === 'FILE_NOT_FOUND') return undefined;
        throw err;
      }
    },
    definitions: () => services.definitions.list(repo, { ref }, actor),
  };
}
