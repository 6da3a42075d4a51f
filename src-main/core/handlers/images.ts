import type { Engine } from '../engine';
import type { Handlers } from './dispatch';

type ImageRequests = 'images.push' | 'images.pull';

export function imageHandlers(engine: Engine): Pick<Handlers, ImageRequests> {
  return {
    'images.push': async ({ ref, destination, credentials }) => {
      const result = await engine.images.push(ref, destination, credentials);
      return {
        digest: result.digest,
        media_type: result.mediaType,
        uploaded: result.uploaded,
        skipped: result.skipped,
        mounted: result.mounted,
      };
    },
    'images.pull': async ({ reference, credentials }) => {
      const { name, descriptor } = await engine.images.pull(reference, credentials);
      return { name, digest: descriptor.digest, media_type: descriptor.mediaType, size: descriptor.size };
    },
  };
}
