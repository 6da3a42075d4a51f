/**
 * Images of the engine's store and registries: push one to a registry (the engine's own or any other),
 * pull one into the store. Transfers report `registry.transfer.progress` events (see registry.ts).
 */
import { z } from 'zod';
import { defineRequest } from './define';

/** For registries that need them; without, the engine uses its user's docker/podman auth files, or none. */
const RegistryCredentials = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(4096) });
const ImageReference = z.string().min(1).max(512);

export const imageRequests = {
  'images.push': defineRequest({
    summary:
      "Pushes an image of the engine's store (by name) to a registry as HOST/REPO:TAG. Blobs the registry has are skipped or mounted from another of its repositories; the rest are uploaded in resumable chunks. An image index is pushed with its manifests.",
    input: z.object({ ref: ImageReference, destination: ImageReference, credentials: RegistryCredentials.optional() }),
    output: z.object({
      digest: z.string(),
      media_type: z.string(),
      uploaded: z.number(),
      skipped: z.number(),
      mounted: z.number(),
    }),
    http: { method: 'POST', path: '/images/push' },
    permission: 'container:push',
  }),
  'images.pull': defineRequest({
    summary:
      "Pulls an image (e.g. alpine:3.20, 127.0.0.1:5000/team/app:v1) into the engine's store, the host platform's from an index, and names it there. Broken blob downloads resume where they stopped.",
    input: z.object({ reference: ImageReference, credentials: RegistryCredentials.optional() }),
    output: z.object({ name: z.string(), digest: z.string(), media_type: z.string(), size: z.number() }),
    http: { method: 'POST', path: '/images/pull' },
    // The server fetches from a host the caller names, with the server user's saved credentials for it:
    // that is a developer's right (as building is), not a guest's.
    permission: 'container:build',
  }),
};
