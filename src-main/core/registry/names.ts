/**
 * Repository names and tags as the distribution spec defines them. Names may contain slashes, so the
 * HTTP layer parses them out of the path itself and validates them here.
 */
import { RegistryError } from './errors';

const NAME_RE = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Clients cap host + "/" + name at 255 characters; a long name would be unreachable for them. */
const MAX_NAME_LENGTH = 200;

export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

export function parseRepositoryName(name: string): string {
  if (!isRepositoryName(name)) {
    throw new RegistryError('NAME_INVALID', `Invalid repository name: ${name.slice(0, 100)}`, {
      name: name.slice(0, 256),
    });
  }
  return name;
}

export function isTag(value: string): boolean {
  return TAG_RE.test(value);
}
