import { classifyName } from '../definitions/detect';
import { composeCompletions, composeHover } from '../definitions/compose-assist';
import type { Engine } from '../engine';
import type { Handlers } from './dispatch';

type DefinitionRequests = Extract<keyof Handlers, `definitions.${string}`>;

export function definitionHandlers(engine: Engine): Pick<Handlers, DefinitionRequests> {
  const defs = engine.definitions;
  const actorOf = (ctx: { principal: { id: string; name: string } }) => ({
    id: ctx.principal.id,
    name: ctx.principal.name,
  });
  return {
    'definitions.list': async ({ repo, type, ref }, ctx) => {
      const definitions = await defs.list(repo, { type, ref }, ctx.principal.id);
      return { definitions, count: definitions.length };
    },
    'definitions.get': ({ repo, path, ref }, ctx) => defs.get(repo, path, ref, ctx.principal.id),
    'definitions.create': ({ repo, ...input }, ctx) => defs.create(repo, input, actorOf(ctx)),
    'definitions.update': ({ repo, ...input }, ctx) => defs.update(repo, input, actorOf(ctx)),
    'definitions.delete': ({ repo, path, message }, ctx) => defs.remove(repo, { path, message }, actorOf(ctx)),
    'definitions.graph': async ({ repo, ref }, ctx) => {
      const edges = await defs.graph(repo, ref, ctx.principal.id);
      return { edges, count: edges.length };
    },
    // Pure functions of the text sent: nothing is read from a repository.
    'definitions.complete': ({ path, content, line, column }) =>
      classifyName(path) === 'compose' ? composeCompletions(content, line, column) : { items: [], range: null },
    'definitions.hover': ({ path, content, line, column }) => ({
      hover: classifyName(path) === 'compose' ? composeHover(content, line, column) : null,
    }),
  };
}
