import { GovcError } from '../../../src-shared/errors';
import type { Engine } from '../engine';
import { listImages, inspectImage } from '../images/inspect';
import { deleteImage, exportImage } from '../images/manage';
import { checkPush } from '../images/push-gate';
import { pushSignatures } from '../signing/push';
import type { SignatureStatus } from '../signing/service';
import type { Handlers } from './dispatch';

type ImageRequests =
  | 'images.push'
  | 'images.pull'
  | 'images.list'
  | 'images.get'
  | 'images.delete'
  | 'images.export'
  | 'images.sign'
  | 'images.signatures'
  | 'images.signing_key';

function signatureOut(s: SignatureStatus) {
  return {
    digest: s.artifact.digest,
    key_id: s.keyId,
    created: s.created,
    verified: s.verified,
    trusted: s.trusted,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
}

export function imageHandlers(engine: Engine): Pick<Handlers, ImageRequests> {
  return {
    'images.push': async ({ ref, destination, credentials }) => {
      await checkPush(engine, ref);
      const result = await engine.images.push(ref, destination, credentials);
      // Verified signatures follow the image, so the destination can check it too (its referrers API).
      const signatures = (await engine.signing.signatures(result.digest)).filter((s) => s.verified);
      await pushSignatures(
        engine.store,
        destination,
        signatures.map((s) => s.artifact),
        credentials,
      ).catch((err: unknown) => {
        // The image is there already: say so, or a retry would look like it starts from nothing.
        const error = GovcError.from(err);
        throw new GovcError(
          error.code,
          `${destination} was pushed (${result.digest}), but its signatures were not: ${error.message}`,
          { ...error.details, digest: result.digest, signatures: signatures.length },
        );
      });
      return {
        signatures: signatures.length,
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
    'images.sign': async ({ ref }, ctx) => {
      const signed = await engine.signing.sign(ref);
      const image = engine.signing.image(ref).digest;
      engine.bus.emit(
        'image.signed',
        { image, digest: signed.artifact.digest, key_id: signed.keyId ?? '' },
        { actor: ctx.principal.id },
      );
      return { image, ...signatureOut(signed) };
    },
    'images.signatures': async ({ ref }) => {
      const image = engine.signing.image(ref).digest;
      return { image, signatures: (await engine.signing.signatures(image)).map(signatureOut) };
    },
    'images.signing_key': () => {
      const key = engine.signing.publicKey();
      return { algorithm: key.algorithm, key_id: key.keyId, public_key: key.publicKey };
    },
  };
}
