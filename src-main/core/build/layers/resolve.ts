/**
 * Path resolution confined to a root folder, as if chrooted there: symlinks met on the way are followed
 * with absolute targets read relative to the root. A symlink whose target climbs above the root is not
 * clamped silently but reported, because a layer that relies on it is either broken or hostile.
 *
 * The lstat/mkdir/readlink calls are synchronous: a layer application resolves every entry's parent
 * folder, and an async lstat per path component cost several thread-pool round trips each (batch.ts).
 */
import { lstatSync, mkdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';

const MAX_SYMLINK_HOPS = 40;

export interface ResolveOptions {
  /** Create missing directories on the way (mode 0755), as tar extraction does for a file's parents. */
  create?: boolean;
  /** Symlinks this archive itself created: writing through them is the classic escape, so it is refused. */
  refuse?: ReadonlySet<string>;
  /** The last component may be a file (symlinks to it still followed): resolves a path, not a folder. */
  leaf?: boolean;
  /** Told each directory `create` made (root-relative), so a caller can give it an owner. */
  onCreate?: (rel: string) => Promise<void>;
}

/**
 * Resolves the directory `parts` names (every component followed) to a host path inside `root`, and
 * returns the root-relative components it ended at.
 */
export async function resolveDir(
  root: string,
  parts: readonly string[],
  options: ResolveOptions = {},
): Promise<string[]> {
  const resolved: string[] = [];
  const queue = [...parts];
  let hops = 0;
  while (queue.length > 0) {
    const part = queue.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (resolved.length === 0) throw hostile(`a path climbs above the image root (${parts.join('/')})`);
      resolved.pop();
      continue;
    }
    const rel = [...resolved, part].join('/');
    const host = join(root, rel);
    const info = lstatOrUndefined(host);
    if (!info) {
      if (!options.create) throw new GovcError('NOT_FOUND', `/${rel} does not exist`);
      mkdirSync(host, { mode: 0o755 });
      await options.onCreate?.(rel);
      resolved.push(part);
      continue;
    }
    if (info.isSymbolicLink()) {
      if (options.refuse?.has(rel))
        throw hostile(`an entry is written through the symlink /${rel} the archive created`);
      if (++hops > MAX_SYMLINK_HOPS) throw hostile(`too many symlinks resolving /${parts.join('/')}`);
      const target = readlinkSync(host);
      if (target.startsWith('/')) resolved.length = 0;
      queue.unshift(...target.split('/'));
      continue;
    }
    if (!info.isDirectory() && !(options.leaf && queue.length === 0))
      throw new GovcError('BAD_LAYER', `/${rel} is not a directory`);
    resolved.push(part);
  }
  return resolved;
}

/** Any lstat failure reads as "missing", as before: a create then fails with mkdir's own error. */
function lstatOrUndefined(host: string): Stats | undefined {
  try {
    return lstatSync(host);
  } catch {
    return undefined;
  }
}

export function hostile(reason: string): GovcError {
  return new GovcError('HOSTILE_ARCHIVE', `Refused a hostile archive: ${reason}`);
}
