/**
 * Input checks shared by every operation: paths inside a repository, ref names (git check-ref-format rules),
 * repository ids. Each failure is a GovcError with a stable code, raised before anything is written.
 */
import { GovcError } from '../../../src-shared/errors';

const MAX_PATH = 4096;

/**
 * A path relative to the repository root, `/`-separated. Refused: empty, absolute, `.`/`..` or empty
 * components, NUL, and any component named `.git` in any letter case (git refuses those in trees, and a
 * checkout would write into the repository itself).
 */
export function checkPath(path: string, what = 'path'): string {
  const fail = (why: string): never => {
    throw new GovcError('INVALID_PATH', `Invalid ${what} "${path}": ${why}`, { path, reason: why });
  };
  if (typeof path !== 'string' || path.length === 0) fail('it is empty');
  if (path.length > MAX_PATH) fail(`it is longer than ${MAX_PATH} characters`);
  if (path.includes('\0')) fail('it contains a NUL character');
  if (path.startsWith('/')) fail('absolute paths are not allowed');
  if (/^[a-zA-Z]:[\\/]/.test(path)) fail('absolute paths are not allowed');
  for (const part of path.split('/')) {
    if (part === '') fail('it has an empty component (a leading, trailing or double slash)');
    if (part === '.' || part === '..') fail('"." and ".." components are not allowed');
    if (isDotGit(part)) fail('nothing may be written under .git (nor any name a filesystem may read as .git)');
  }
  return path;
}

/** Code points HFS+ ignores in names: `.g\u200cit` is `.git` there. */
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/**
 * `.git` as any filesystem may read it: any letter case, HFS+'s ignored code points, NTFS's trailing dots
 * and spaces, alternate streams (`.git::$INDEX_ALLOCATION`) and 8.3 short name (`git~1`). git fsck refuses
 * such tree entries, so they must never reach a commit.
 */
export function isDotGit(name: string): boolean {
  const n = name.replace(HFS_IGNORED, '').toLowerCase();
  return /^\.git[ .]*(:.*)?$/.test(n) || n === 'git~1';
}

/** Like checkPath, but '' (or '.', '/') means the repository root: for listings and path filters. */
export function checkDirPath(path: string | undefined, what = 'path'): string {
  if (path === undefined || path === '' || path === '.' || path === '/') return '';
  return checkPath(path.replace(/\/+$/, ''), what);
}

/**
 * git check-ref-format's rules for one name (a branch or tag name, or a full `refs/...` name):
 * no component starting with '.' or ending in '.lock', no '..', no control characters, space, ~ ^ : ? * [ \,
 * no leading/trailing/double slash, no trailing '.', no '@{', not '@'. Branch names also may not start with
 * '-' (they would read as options) nor be HEAD.
 */
export function refNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 255) return 'it is longer than 255 characters';
  if (name === '@') return 'it is "@"';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name === 'HEAD') return '"HEAD" is reserved';
  if (name.startsWith('/') || name.endsWith('/')) return 'it starts or ends with "/"';
  if (name.includes('//')) return 'it contains "//"';
  if (name.endsWith('.')) return 'it ends with "."';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'it contains a space, control character or one of ~ ^ : ? * [ \\';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'a component starts with "."';
    if (part.endsWith('.lock')) return 'a component ends with ".lock"';
  }
  return undefined;
}

export function checkRefName(name: string, what = 'ref name'): string {
  const problem = refNameProblem(name);
  if (problem) throw new GovcError('INVALID_REF', `Invalid ${what} "${name}": ${problem}`, { name, reason: problem });
  return name;
}

const REPO_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;

/** Repository ids name a folder on disk: a conservative alphabet, no dots at the end, no `..`. */
export function checkRepoId(id: string): string {
  if (!REPO_ID.test(id) || id.endsWith('.') || id.includes('..') || id.endsWith('.lock')) {
    throw new GovcError(
      'INVALID_REPO_ID',
      `Invalid repository id "${id}": use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      { id },
    );
  }
  return id;
}

export function parentDir(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** All ancestor directories of a path, nearest first, ending with the root ''. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = path;
  while (p !== '') {
    p = parentDir(p);
    out.push(p);
  }
  return out;
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(dir + '/');
}
