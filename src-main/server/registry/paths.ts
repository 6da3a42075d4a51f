/**
 * Parses a path under /v2/ into a registry operation. Repository names contain slashes, so the route is
 * recognised from the end (`…/manifests/<ref>`, `…/blobs/uploads/<id>`, …) and the rest is the name.
 */
import { RegistryError } from '../../core/registry/errors';
import { parseRepositoryName } from '../../core/registry/names';

export type RegistryPath =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'token' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RegistryError('NAME_INVALID', `Invalid path segment ${segment.slice(0, 80)}`);
  }
}

/** `rest` is the raw path after `/v2` (starting with `/`, or empty), without the query string. */
export function parseRegistryPath(rest: string): RegistryPath {
  const segments = rest.split('/').slice(1).map(decode);
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) return { kind: 'base' };
  if (segments.length === 1 && segments[0] === '_catalog') return { kind: 'catalog' };
  if (segments.length === 1 && segments[0] === 'token') return { kind: 'token' };
  const n = segments.length;
  const at = (i: number): string => segments[n + i] ?? '';
  const nameBefore = (count: number): string => parseRepositoryName(segments.slice(0, n - count).join('/'));
  if (n >= 3 && at(-2) === 'blobs' && at(-1) === 'uploads') return { kind: 'uploads', name: nameBefore(2) };
  if (n >= 4 && at(-3) === 'blobs' && at(-2) === 'uploads') {
    return at(-1) === ''
      ? { kind: 'uploads', name: nameBefore(3) }
      : { kind: 'upload', name: nameBefore(3), id: at(-1) };
  }
  if (n >= 3 && at(-2) === 'blobs' && at(-1) !== '') return { kind: 'blob', name: nameBefore(2), digest: at(-1) };
  if (n >= 3 && at(-2) === 'manifests' && at(-1) !== '')
    return { kind: 'manifest', name: nameBefore(2), reference: at(-1) };
  if (n >= 3 && at(-2) === 'tags' && at(-1) === 'list') return { kind: 'tags', name: nameBefore(2) };
  if (n >= 3 && at(-2) === 'referrers' && at(-1) !== '')
    return { kind: 'referrers', name: nameBefore(2), digest: at(-1) };
  throw new RegistryError('UNSUPPORTED', `No registry route for ${rest.slice(0, 200)}`, undefined, 404);
}

/** The repository a path names, for authorisation and the audit log. */
export function repositoryOf(path: RegistryPath): string | undefined {
  return 'name' in path ? path.name : undefined;
}
