/** Build request fields the contract cannot check alone: image names, and platforms listed once. */
import type { RequestInput } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import { validateRefName } from '../build/store/content-store';

export type BuildInput = RequestInput<'builds.create'>;

/** `app` means `app:latest`, as docker build -t does; an invalid name is a 400 naming the field. */
export function normalizeTags(tags: readonly string[]): string[] {
  return tags.map((tag, index) => {
    const lastSlash = tag.lastIndexOf('/');
    const named = tag.includes('@') || tag.indexOf(':', lastSlash + 1) !== -1 ? tag : `${tag}:latest`;
    try {
      validateRefName(named);
    } catch {
      throw new GovcError('VALIDATION_FAILED', `Invalid tags.${index}: "${tag}" is not an image name`, {
        issues: [{ path: `tags.${index}`, message: 'not an image name' }],
      });
    }
    return named;
  });
}

/**
 * Platforms are built one image each (and an index when there are several); whether an engine can build
 * a foreign one is known when the build starts (the native engine refuses RUN steps needing emulation).
 * Here only a platform asked for twice is refused, since an index cannot list it twice.
 */
export function checkPlatforms(platforms: readonly string[]): void {
  const seen = new Set<string>();
  platforms.forEach((platform, index) => {
    if (seen.has(platform))
      throw new GovcError('VALIDATION_FAILED', `Invalid platform.${index}: ${platform} is listed twice`, {
        issues: [{ path: `platform.${index}`, message: 'listed twice' }],
      });
    seen.add(platform);
  });
}
