import type { Engine } from '../engine';
import { listImages, inspectImage } from '../images/inspect';
import { deleteImage, exportImage } from '../images/manage';
import { checkPush } from '../images/push-gate';
import type { Handlers } from './dispatch';

type ImageRequests = 'images.push' | 'images.pull' | 'images.list' | 'images.get' | 'images.delete' | 'images.export';

export function imageHandlers(engine: Engine): Pick<Handlers, ImageRequests> {
  return {
    'images.push': async ({ ref, destination, credentials }) => {
      await checkPush(engine, ref);
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
    'images.list': async ({ limit, offset = 0 }) => {
      const all = await listImages(engine.store);
      return { images: all.slice(offset, limit === undefined ? undefined : offset + limit), total: all.length };
    },
    'images.get': ({ ref }) => inspectImage(engine.store, ref),
    'images.delete': async ({ ref, prune = false }, ctx) => {
      const result = await deleteImage(engine.store, ref, prune);
      engine.bus.emit(
        'image.deleted',
        { digest: result.digest, untagged: result.untagged, pruned: prune },
        { actor: ctx.principal.id },
      );
      return {
        digest: result.digest,
        untagged: result.untagged,
        ...(result.gc ? { removed_blobs: result.gc.removed.length, freed_bytes: result.gc.freedBytes } : {}),
      };
    },
    'images.export': async ({ ref, format, dest }, ctx) => {
      const { digest } = await exportImage(engine.store, ref, format, dest);
      engine.bus.emit('image.exported', { ref, digest, format, dest }, { actor: ctx.principal.id });
      return { ref, digest, format, dest };
    },
  };
}
