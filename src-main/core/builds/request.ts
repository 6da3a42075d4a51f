/** Build request fields the contract cannot check alone: image names, and platforms this host can build. */
import type { RequestInput } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import { hostPlatform } from '../build/oci/image';
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

/** Other platforms need emulation, which the engine does not have: refuse rather than build the host's. */
export function checkPlatforms(platforms: readonly string[]): void {
  const host = hostPlatform();
  const here = `${host.os}/${host.architecture}`;
  const foreign = platforms.filter((p) => p !== here && !p.startsWith(`${here}/`));
  if (foreign.length > 0) {
    throw new GovcError('UNSUPPORTED', `Cannot build for ${foreign.join(', ')}: this engine builds ${here} only`, {
      platform: foreign,
      host: here,
    });
  }
}
