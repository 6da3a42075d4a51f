import { GovcError } from '../../../src-shared/errors';
import { can } from '../auth/roles';
import type { Engine } from '../engine';
import * as branches from '../git/branches';
import * as inspect from '../git/inspect';
import type { Handlers } from './dispatch';

type RepoRequests = Extract<keyof Handlers, `repos.${string}`>;

export function repoHandlers(engine: Engine): Pick<Handlers, RepoRequests> {
  const repos = engine.repos;
  const actorOf = (ctx: { principal: { id: string; name: string } }) => ({
    id: ctx.principal.id,
    name: ctx.principal.name,
  });
  return {
    'repos.list': async () => {
      const list = await repos.list();
      return { repos: list, count: list.length };
    },
    'repos.create': async (input, ctx) => {
      // Import and clone read any folder the engine can read: that is an administrator's call.
      if ((input.import_from !== undefined || input.clone_from !== undefined) && !can(ctx.principal, 'repo:admin')) {
        throw new GovcError('FORBIDDEN', 'Importing or cloning from a server path needs the repo:admin permission', {
          permission: 'repo:admin',
        });
      }
      const repo = await repos.create(
        {
          id: input.id,
          persist: input.persist ?? engine.settings.persistByDefault,
          ...(input.import_from === undefined ? {} : { importFrom: input.import_from }),
          ...(input.clone_from === undefined ? {} : { cloneFrom: input.clone_from }),
          ...(input.default_branch === undefined ? {} : { defaultBranch: input.default_branch }),
        },
        ctx.principal.id,
      );
      return repo.info();
    },
    'repos.get': async ({ repo }) => (await repos.get(repo)).info(),
    'repos.delete': async ({ repo }, ctx) => {
      await repos.delete(repo, ctx.principal.id);
      return { id: repo, deleted: true as const };
    },
    'repos.export': ({ repo, path, bare }) => repos.export(repo, path, bare),
    'repos.files.read': async ({ repo, path, ref, encoding }) => {
      const r = await repos.get(repo);
      if (encoding === 'utf8') {
        const t = await r.readText(path, ref);
        return { path, content: t.text, encoding, mode: t.entry.mode, oid: t.entry.oid, size: t.size };
      }
      const f = await r.readFile(path, ref);
      return {
        path,
        content: f.bytes.toString('base64'),
        encoding,
        mode: f.entry.mode,
        oid: f.entry.oid,
        size: f.bytes.length,
      };
    },
    'repos.files.write': async ({ repo, path, content, encoding, mode, if_match }, ctx) => {
      if (encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(content.replace(/\s+/g, ''))) {
        throw new GovcError('VALIDATION_FAILED', 'Invalid content: not base64', {
          issues: [{ path: 'content', message: 'not base64' }],
        });
      }
      const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
      return (await repos.get(repo)).writeFile(path, bytes, mode, ctx.principal.id, if_match);
    },
    'repos.files.delete': async ({ repo, path }, ctx) => (await repos.get(repo)).deleteFile(path, ctx.principal.id),
    'repos.files.move': async ({ repo, from, to }, ctx) => (await repos.get(repo)).moveFile(from, to, ctx.principal.id),
    'repos.tree': async ({ repo, ref, path, recursive }) =>
      inspect.tree(await repos.get(repo), {
        recursive,
        ...(ref === undefined ? {} : { ref }),
        ...(path === undefined ? {} : { path }),
      }),
    'repos.status': async ({ repo }) => {
      const r = await repos.get(repo);
      const files = r.wt.status();
      return { branch: r.branch, head: r.head, clean: files.length === 0, files, count: files.length };
    },
    'repos.stage': async ({ repo, paths }) => (await repos.get(repo)).stage(paths),
    'repos.unstage': async ({ repo, paths }) => (await repos.get(repo)).unstage(paths),
    'repos.restore': async ({ repo, paths, source }, ctx) =>
      (await repos.get(repo)).restore(paths, source, ctx.principal.id),
    'repos.commit': async ({ repo, message, author, all, allow_empty }, ctx) =>
      (await repos.get(repo)).commit(
        {
          message,
          allowEmpty: allow_empty,
          ...(author === undefined ? {} : { author }),
          ...(all === undefined ? {} : { all }),
        },
        actorOf(ctx),
      ),
    'repos.log': async ({ repo, ref, path, limit, skip }) =>
      inspect.log(await repos.get(repo), {
        limit,
        skip,
        ...(ref === undefined ? {} : { ref }),
        ...(path === undefined ? {} : { path }),
      }),
    'repos.show': async ({ repo, rev, patch }) => inspect.show(await repos.get(repo), rev, patch),
    'repos.diff': async ({ repo, from, to, staged, path, context }) =>
      inspect.diff(await repos.get(repo), {
        staged,
        context,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(path === undefined ? {} : { path }),
      }),
    'repos.branches.list': async ({ repo }) => branches.listBranches(await repos.get(repo)),
    'repos.branches.create': async ({ repo, name, from, checkout }, ctx) =>
      branches.createBranch(await repos.get(repo), name, from, checkout, actorOf(ctx)),
    'repos.branches.delete': async ({ repo, name, force }, ctx) =>
      branches.deleteBranch(await repos.get(repo), name, force, actorOf(ctx)),
    'repos.checkout': async ({ repo, branch, create, from }, ctx) =>
      branches.checkout(
        await repos.get(repo),
        { branch, create, ...(from === undefined ? {} : { from }) },
        actorOf(ctx),
      ),
    'repos.merge': async ({ repo, ref, message, author, no_ff }, ctx) =>
      branches.merge(
        await repos.get(repo),
        {
          ref,
          noFf: no_ff,
          ...(message === undefined ? {} : { message }),
          ...(author === undefined ? {} : { author }),
        },
        actorOf(ctx),
      ),
    'repos.tags.list': async ({ repo }) => branches.listTags(await repos.get(repo)),
    'repos.tags.create': async ({ repo, name, ref, message, tagger, force }, ctx) =>
      branches.createTag(
        await repos.get(repo),
        {
          name,
          force,
          ...(ref === undefined ? {} : { ref }),
          ...(message === undefined ? {} : { message }),
          ...(tagger === undefined ? {} : { tagger }),
        },
        actorOf(ctx),
      ),
    'repos.tags.delete': async ({ repo, name }) => branches.deleteTag(await repos.get(repo), name),
  };
}
