/** The image-tag check Compose and Kubernetes share: a running image should name its version. */
import { parseImageRef } from '../image-ref';

/** Why an image reference is not pinned, or undefined when it names a tag other than latest or a digest. */
export function unpinnedReason(image: string): string | undefined {
  const ref = parseImageRef(image);
  if (!ref || ref.digest !== undefined) return undefined;
  if (ref.tag === undefined) return 'has no tag, which means latest';
  if (ref.tag === 'latest') return 'uses the latest tag';
  return undefined;
}
