/**
 * Repositories: memory-first git repositories by id, their work tree, history, branches, tags and merges.
 * GET and DELETE inputs arrive as query strings, hence `qInt`/`qBool` (never z.coerce.boolean, which reads
 * "false" as true). The raw-bytes file routes (PUT/GET /repos/{repo}/files/{path}) are not in this table:
 * the contract carries JSON, so the server adds those two routes itself; `repos.files.*` here are their
 * JSON equivalents under /repos/{repo}/blob/.
 */
import { z } from 'zod';
import { defineRequest } from './define';

const qInt = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+$/, 'expected an integer')
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));
const qBool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1' || v === ''),
]);

const repo = z.string().min(1).max(64);
const path = z.string().min(1).max(4096);
const rev = z.string().min(1).max(256);
const oid = z.string().regex(/^[0-9a-f]{40}$/);
const fileMode = z.enum(['100644', '100755', '120000', '160000']);

export const Author = z.object({
  name: z.string().min(1).max(256),
  email: z.string().max(256),
  /** Seconds since the epoch; now when absent. */
  time: z
    .number()
    .int()
    .min(0)
    .max(2 ** 40)
    .optional(),
  /** Offset as git writes it, e.g. "+0200"; the engine's local offset when absent. */
  timezone: z
    .string()
    .regex(/^[+-]\d{4}$/)
    .optional(),
});

export const RepoInfo = z.object({
  id: z.string(),
  persist: z.boolean(),
  /** The commit HEAD points at; null on an unborn branch (an empty repository). */
  head: oid.nullable(),
  /** The checked-out branch; null when HEAD is detached. */
  branch: z.string().nullable(),
  clean: z.boolean(),
});

export const Person = z.object({ name: z.string(), email: z.string(), time: z.string(), timezone: z.string() });

export const CommitInfo = z.object({
  hash: oid,
  message: z.string(),
  author: Person,
  committer: Person,
  /** The committer's time, ISO 8601. */
  time: z.string(),
  parents: z.array(oid),
  tree: oid,
});

const ChangeStatus = z.enum(['added', 'deleted', 'modified']);

export const Hunk = z.object({
  oldStart: z.number(),
  oldLines: z.number(),
  newStart: z.number(),
  newLines: z.number(),
  lines: z.array(z.string()),
});

export const FileDiff = z.object({
  path: z.string(),
  status: ChangeStatus,
  oldMode: fileMode.nullable(),
  newMode: fileMode.nullable(),
  oldOid: oid.nullable(),
  newOid: oid.nullable(),
  binary: z.boolean(),
  additions: z.number(),
  deletions: z.number(),
  hunks: z.array(Hunk),
});

export const FileStatus = z.object({
  path: z.string(),
  staged: z.enum(['added', 'modified', 'deleted']).nullable(),
  unstaged: z.enum(['new', 'modified', 'deleted']).nullable(),
});

export const TreeItem = z.object({
  path: z.string(),
  name: z.string(),
  type: z.enum(['blob', 'tree', 'commit']),
  mode: z.string(),
  /** Absent for work-tree directories, whose tree is not written until a commit. */
  oid: oid.optional(),
});

export const Branch = z.object({
  name: z.string(),
  hash: oid,
  current: z.boolean(),
  /** Commits on this branch not on HEAD, and on HEAD not on this branch. */
  ahead: z.number(),
  behind: z.number(),
});

export const TagInfo = z.object({
  name: z.string(),
  /** The commit the tag finally points at. */
  hash: oid,
  annotated: z.boolean(),
  /** The tag object, for annotated tags. */
  object: oid.nullable(),
  message: z.string().nullable(),
  tagger: Person.nullable(),
});

const paths = z.array(path).max(10_000);

export const repoRequests = {
  'repos.list': defineRequest({
    summary: 'All repositories, memory-only and persisted.',
    input: z.object({}),
    output: z.object({ repos: z.array(RepoInfo), count: z.number() }),
    http: { method: 'GET', path: '/repos' },
    permission: 'repo:read',
  }),
  'repos.create': defineRequest({
    summary:
      'Creates a repository: empty (branch main), imported from a git repository on disk, or cloned from one. ' +
      'persist=true keeps it as a git repository under the data folder; without persist, the engine setting ' +
      'persist_default decides (system.settings). Importing or cloning from a path on ' +
      'the server needs repo:admin.',
    input: z
      .object({
        id: repo,
        persist: z.boolean().optional(),
        import_from: z.string().min(1).max(4096).optional(),
        clone_from: z.string().min(1).max(4096).optional(),
        default_branch: z.string().min(1).max(255).optional(),
      })
      .refine((v) => !(v.import_from && v.clone_from), { message: 'give import_from or clone_from, not both' }),
    output: RepoInfo,
    http: { method: 'POST', path: '/repos', status: 201 },
    permission: 'repo:write',
  }),
  'repos.get': defineRequest({
    summary: 'One repository: HEAD, branch, whether the work tree is clean.',
    input: z.object({ repo }),
    output: RepoInfo,
    http: { method: 'GET', path: '/repos/{repo}' },
    permission: 'repo:read',
  }),
  'repos.delete': defineRequest({
    summary: 'Deletes a repository (and its folder when persisted).',
    input: z.object({ repo }),
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
    http: { method: 'DELETE', path: '/repos/{repo}' },
    permission: 'repo:admin',
  }),
  'repos.export': defineRequest({
    summary:
      'Writes the repository to a folder as a real git repository: objects, refs, and (unless bare) the work ' +
      'tree and an index, so that `git status` there shows what `repos.status` shows.',
    input: z.object({ repo, path: z.string().min(1).max(4096), bare: z.boolean().default(false) }),
    output: z.object({ path: z.string(), head: oid.nullable(), objects: z.number() }),
    http: { method: 'POST', path: '/repos/{repo}/export' },
    permission: 'repo:admin',
  }),
  'repos.files.read': defineRequest({
    summary: 'Reads a file from the work tree, or from a revision with ref. encoding=utf8 refuses binary files.',
    input: z.object({
      repo,
      path,
      ref: rev.optional(),
      encoding: z.enum(['utf8', 'base64']).default('utf8'),
    }),
    output: z.object({
      path: z.string(),
      content: z.string(),
      encoding: z.enum(['utf8', 'base64']),
      mode: fileMode,
      oid,
      size: z.number(),
    }),
    http: { method: 'GET', path: '/repos/{repo}/blob/{path...}' },
    permission: 'repo:read',
  }),
  'repos.files.write': defineRequest({
    summary: 'Writes a file in the work tree (text, or base64 for binary); mode 100755 executable, 120000 symlink.',
    input: z.object({
      repo,
      path,
      content: z.string().max(48 * 1024 * 1024),
      encoding: z.enum(['utf8', 'base64']).default('utf8'),
      mode: z.enum(['100644', '100755', '120000']).optional(),
      /** The blob id the caller last read; a different current content is a STALE_WRITE conflict, not an overwrite. */
      if_match: oid.optional(),
    }),
    output: z.object({ path: z.string(), oid, mode: fileMode, size: z.number(), changed: z.boolean() }),
    http: { method: 'PUT', path: '/repos/{repo}/blob/{path...}' },
    permission: 'repo:write',
  }),
  'repos.files.delete': defineRequest({
    summary: 'Deletes a file, or a directory and everything in it, from the work tree.',
    input: z.object({ repo, path }),
    output: z.object({ deleted: z.array(z.string()) }),
    http: { method: 'DELETE', path: '/repos/{repo}/blob/{path...}' },
    permission: 'repo:write',
  }),
  'repos.files.move': defineRequest({
    summary: 'Moves a file or directory in the work tree.',
    input: z.object({ repo, from: path, to: path }),
    output: z.object({ moved: z.array(z.object({ from: z.string(), to: z.string() })) }),
    http: { method: 'POST', path: '/repos/{repo}/move' },
    permission: 'repo:write',
  }),
  'repos.tree': defineRequest({
    summary: 'Lists a directory of the work tree, or of a revision with ref; recursive lists files only.',
    input: z.object({
      repo,
      ref: rev.optional(),
      path: z.string().max(4096).optional(),
      recursive: qBool.default(false),
    }),
    output: z.object({ entries: z.array(TreeItem), count: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/tree' },
    permission: 'repo:read',
  }),
  'repos.status': defineRequest({
    summary: 'Changed files: staged (HEAD → index) and unstaged (index → work tree; new = untracked).',
    input: z.object({ repo }),
    output: z.object({
      branch: z.string().nullable(),
      head: oid.nullable(),
      clean: z.boolean(),
      files: z.array(FileStatus),
      count: z.number(),
    }),
    http: { method: 'GET', path: '/repos/{repo}/status' },
    permission: 'repo:read',
  }),
  'repos.stage': defineRequest({
    summary: 'Stages changes of these paths (files or directories); all changes when paths is absent.',
    input: z.object({ repo, paths: paths.optional() }),
    output: z.object({ staged: z.array(z.string()) }),
    http: { method: 'POST', path: '/repos/{repo}/stage' },
    permission: 'repo:write',
  }),
  'repos.unstage': defineRequest({
    summary: 'Unstages changes of these paths, keeping the work tree; all staged changes when paths is absent.',
    input: z.object({ repo, paths: paths.optional() }),
    output: z.object({ unstaged: z.array(z.string()) }),
    http: { method: 'POST', path: '/repos/{repo}/unstage' },
    permission: 'repo:write',
  }),
  'repos.restore': defineRequest({
    summary: 'Restores files (staging area and work tree) to their state at source (HEAD by default).',
    input: z.object({ repo, paths: paths.min(1), source: rev.optional() }),
    output: z.object({ restored: z.array(z.string()) }),
    http: { method: 'POST', path: '/repos/{repo}/restore' },
    permission: 'repo:write',
  }),
  'repos.commit': defineRequest({
    summary:
      'Commits the staged changes, or with all=true every change in the work tree. When all is absent and ' +
      'nothing is staged, every change is committed. An empty commit needs allow_empty.',
    input: z.object({
      repo,
      message: z
        .string()
        .max(1024 * 1024)
        .refine((m) => m.trim().length > 0, 'the message is empty'),
      author: Author.optional(),
      all: z.boolean().optional(),
      allow_empty: z.boolean().default(false),
    }),
    output: z.object({ hash: oid, branch: z.string().nullable(), changed: z.array(z.string()) }),
    http: { method: 'POST', path: '/repos/{repo}/commit', status: 201 },
    permission: 'repo:write',
  }),
  'repos.log': defineRequest({
    summary: 'History newest first, from ref (HEAD by default); path limits it to commits that changed that path.',
    input: z.object({
      repo,
      ref: rev.optional(),
      path: z.string().max(4096).optional(),
      limit: qInt(1, 10_000).default(100),
      skip: qInt(0, 10_000_000).default(0),
    }),
    output: z.object({ commits: z.array(CommitInfo), count: z.number(), more: z.boolean() }),
    http: { method: 'GET', path: '/repos/{repo}/log' },
    permission: 'repo:read',
  }),
  'repos.show': defineRequest({
    summary: 'One commit and the files it changed against its first parent, with line counts and hunks.',
    input: z.object({ repo, rev, patch: qBool.default(true) }),
    output: CommitInfo.extend({
      files: z.array(FileDiff),
      additions: z.number(),
      deletions: z.number(),
      patch: z.string(),
    }),
    http: { method: 'GET', path: '/repos/{repo}/commits/{rev}' },
    permission: 'repo:read',
  }),
  'repos.diff': defineRequest({
    summary:
      'Diff between two revisions (from, to), or between a revision (from, HEAD by default) and the work ' +
      'tree; staged=true compares HEAD with the staging area.',
    input: z.object({
      repo,
      from: rev.optional(),
      to: rev.optional(),
      staged: qBool.default(false),
      path: z.string().max(4096).optional(),
      context: qInt(0, 1000).default(3),
    }),
    output: z.object({ files: z.array(FileDiff), additions: z.number(), deletions: z.number(), patch: z.string() }),
    http: { method: 'GET', path: '/repos/{repo}/diff' },
    permission: 'repo:read',
  }),
  'repos.branches.list': defineRequest({
    summary: 'Branches with their commits and how far each is ahead of and behind HEAD.',
    input: z.object({ repo }),
    output: z.object({ branches: z.array(Branch), current: z.string().nullable(), count: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/branches' },
    permission: 'repo:read',
  }),
  'repos.branches.create': defineRequest({
    summary: 'Creates a branch at from (HEAD by default); checkout=true switches to it.',
    input: z.object({
      repo,
      name: z.string().min(1).max(255),
      from: rev.optional(),
      checkout: z.boolean().default(false),
    }),
    output: Branch,
    http: { method: 'POST', path: '/repos/{repo}/branches', status: 201 },
    permission: 'repo:write',
  }),
  'repos.branches.delete': defineRequest({
    summary: 'Deletes a branch; one not merged into HEAD needs force.',
    input: z.object({ repo, name: z.string().min(1).max(255), force: qBool.default(false) }),
    output: z.object({ name: z.string(), hash: oid }),
    http: { method: 'DELETE', path: '/repos/{repo}/branches/{name...}' },
    permission: 'repo:write',
  }),
  'repos.checkout': defineRequest({
    summary:
      'Switches to a branch (create=true makes it first). Local changes are carried over unless the switch ' +
      'would overwrite them (DIRTY_WORKTREE).',
    input: z.object({
      repo,
      branch: z.string().min(1).max(255),
      create: z.boolean().default(false),
      from: rev.optional(),
    }),
    output: z.object({ branch: z.string(), head: oid.nullable() }),
    http: { method: 'POST', path: '/repos/{repo}/checkout' },
    permission: 'repo:write',
  }),
  'repos.merge': defineRequest({
    summary:
      'Merges a branch or revision into the current branch: fast-forward when possible (unless no_ff), else a ' +
      'merge commit. Conflicts are MERGE_CONFLICT (409) with the paths in details.conflicts; nothing changes.',
    input: z.object({
      repo,
      ref: rev,
      message: z
        .string()
        .max(1024 * 1024)
        .optional(),
      author: Author.optional(),
      no_ff: z.boolean().default(false),
    }),
    output: z.object({
      status: z.enum(['up-to-date', 'fast-forward', 'merged']),
      hash: oid,
      base: oid.nullable(),
      changed: z.array(z.string()),
    }),
    http: { method: 'POST', path: '/repos/{repo}/merge' },
    permission: 'repo:write',
  }),
  'repos.tags.list': defineRequest({
    summary: 'Tags, lightweight and annotated.',
    input: z.object({ repo }),
    output: z.object({ tags: z.array(TagInfo), count: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/tags' },
    permission: 'repo:read',
  }),
  'repos.tags.create': defineRequest({
    summary: 'Creates a tag at ref (HEAD by default); with a message it is annotated.',
    input: z.object({
      repo,
      name: z.string().min(1).max(255),
      ref: rev.optional(),
      message: z
        .string()
        .max(1024 * 1024)
        .optional(),
      tagger: Author.optional(),
      force: z.boolean().default(false),
    }),
    output: TagInfo,
    http: { method: 'POST', path: '/repos/{repo}/tags', status: 201 },
    permission: 'repo:write',
  }),
  'repos.tags.delete': defineRequest({
    summary: 'Deletes a tag.',
    input: z.object({ repo, name: z.string().min(1).max(255) }),
    output: z.object({ name: z.string() }),
    http: { method: 'DELETE', path: '/repos/{repo}/tags/{name...}' },
    permission: 'repo:write',
  }),
};

export const repoEvents = {
  'repo.created': z.object({
    id: z.string(),
    persist: z.boolean(),
    head: z.string().nullable(),
    source: z.string().nullable(),
  }),
  'repo.deleted': z.object({ id: z.string() }),
  'repo.commit': z.object({
    hash: z.string(),
    branch: z.string().nullable(),
    changed: z.array(z.string()),
    message: z.string(),
  }),
  'repo.branch.created': z.object({ name: z.string(), hash: z.string() }),
  'repo.branch.deleted': z.object({ name: z.string(), hash: z.string() }),
  /** Files written, deleted, moved, restored, staged or unstaged: the work tree or staging area changed. */
  'repo.worktree.changed': z.object({ paths: z.array(z.string()) }),
  'repo.checkout': z.object({ branch: z.string(), head: z.string().nullable() }),
  'repo.merge': z.object({
    ref: z.string(),
    status: z.enum(['up-to-date', 'fast-forward', 'merged']),
    hash: z.string(),
    branch: z.string().nullable(),
  }),
};
