/**
 * Images of the engine's store and registries: push one to a registry (the engine's own or any other),
 * pull one into the store. Transfers report `registry.transfer.progress` events (see registry.ts).
 */
import { z } from 'zod';
import { defineRequest, queryBool, queryInt } from './define';

/** For registries that need them; without, the engine uses its user's docker/podman auth files, or none. */
const RegistryCredentials = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(4096) });
const ImageReference = z.string().min(1).max(512);
/** A local image's name (ref.name) or its manifest digest. */
const LocalImageRef = z.string().min(1).max(512);
/** Checked here (not with node:path) because the renderer parses this contract too. */
const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'expected an absolute path');

const ImageSummary = z.object({
  names: z.array(z.string()),
  digest: z.string(),
  media_type: z.string(),
  size: z.number(),
  created: z.string().optional(),
  architecture: z.string(),
  os: z.string(),
  layers: z.number(),
});
const HistoryEntry = z.object({
  created: z.string().optional(),
  created_by: z.string().optional(),
  author: z.string().optional(),
  comment: z.string().optional(),
  empty_layer: z.boolean().optional(),
});
const ImageLayer = z.object({
  digest: z.string(),
  media_type: z.string(),
  size: z.number(),
  diff_id: z.string().optional(),
  /** The instruction of the history entry that made this layer (the n-th entry without empty_layer). */
  created_by: z.string().optional(),
  created: z.string().optional(),
  comment: z.string().optional(),
});
const ContainerConfig = z.object({
  User: z.string().optional(),
  ExposedPorts: z.record(z.string(), z.object({})).optional(),
  Env: z.array(z.string()).optional(),
  Entrypoint: z.array(z.string()).nullable().optional(),
  Cmd: z.array(z.string()).nullable().optional(),
  Volumes: z.record(z.string(), z.object({})).optional(),
  WorkingDir: z.string().optional(),
  Labels: z.record(z.string(), z.string()).optional(),
  StopSignal: z.string().optional(),
  Healthcheck: z
    .object({
      Test: z.array(z.string()).optional(),
      Interval: z.number().optional(),
      Timeout: z.number().optional(),
      StartPeriod: z.number().optional(),
      StartInterval: z.number().optional(),
      Retries: z.number().optional(),
    })
    .optional(),
  OnBuild: z.array(z.string()).nullable().optional(),
  Shell: z.array(z.string()).optional(),
  ArgsEscaped: z.boolean().optional(),
});
export const ExportFormat = z.enum(['oci', 'oci-archive', 'docker-archive']);
/** One signature artifact of an image (docs/images.md, "Signing"). */
const ImageSignature = z.object({
  /** The signature artifact's manifest digest (what the referrers API lists). */
  digest: z.string(),
  key_id: z.string().nullable(),
  created: z.string().nullable(),
  /** The ed25519 signature checks out over a payload naming this image, with the key it names. */
  verified: z.boolean(),
  /** Verified and by this engine's key. A repository policy's `signing.keys` decides trust at push time. */
  trusted: z.boolean(),
  /** Why it does not verify. */
  reason: z.string().optional(),
});

export const imageRequests = {
  'images.list': defineRequest({
    summary:
      "The local images of the engine's store (built, pulled or imported; not the registry's repositories), one entry per manifest with every name pointing at it, newest first. Size counts manifest, config and layers.",
    input: z.object({
      limit: queryInt.pipe(z.number().int().min(1).max(1000)).optional(),
      offset: queryInt.pipe(z.number().int().min(0)).optional(),
    }),
    output: z.object({ images: z.array(ImageSummary), total: z.number() }),
    http: { method: 'GET', path: '/images' },
    permission: 'container:pull',
  }),
  'images.get': defineRequest({
    summary:
      'One local image by name or manifest digest: its config (Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Labels, Volumes…), its layers each with the history entry (instruction) that made it, and the whole history.',
    input: z.object({ ref: LocalImageRef }),
    output: ImageSummary.extend({
      config: ContainerConfig,
      author: z.string().optional(),
      layer_list: z.array(ImageLayer),
      history: z.array(HistoryEntry),
    }),
    http: { method: 'GET', path: '/images/{ref...}' },
    permission: 'container:pull',
  }),
  'images.delete': defineRequest({
    summary:
      'Removes a local image name (or, given a manifest digest, every name of it). Blobs stay until a GC; with prune=true the store GC runs at once and frees what nothing else references.',
    input: z.object({ ref: LocalImageRef, prune: queryBool.optional() }),
    output: z.object({
      digest: z.string(),
      untagged: z.array(z.string()),
      removed_blobs: z.number().optional(),
      freed_bytes: z.number().optional(),
    }),
    http: { method: 'DELETE', path: '/images/{ref...}' },
    permission: 'container:build',
  }),
  'images.export': defineRequest({
    summary:
      "Writes a local image to a path ON THE ENGINE'S MACHINE (not the caller's): an OCI layout folder (oci), its tar (oci-archive) or a `docker save` tar (docker-archive). The path must be absolute and must not exist or be empty.",
    input: z.object({ ref: LocalImageRef, format: ExportFormat, dest: AbsolutePath }),
    output: z.object({ ref: z.string(), digest: z.string(), format: ExportFormat, dest: z.string() }),
    http: { method: 'POST', path: '/images/export' },
    // Writing files on the server's machine is a developer's right, as building is; a reader only reads.
    permission: 'container:build',
  }),
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
      /** Signature artifacts of the image pushed after it, as its referrers. */
      signatures: z.number().optional(),
    }),
    http: { method: 'POST', path: '/images/push' },
    permission: 'container:push',
  }),
  'images.sign': defineRequest({
    summary:
      "Signs a local image (name or manifest digest) with the engine's ed25519 key: stores an OCI artifact (artifactType application/vnd.govc.signature.v1+json) whose subject is the image's manifest. Pushes then carry it along as a referrer; a policy with signing.required wants one.",
    input: z.object({ ref: LocalImageRef }),
    output: ImageSignature.extend({ image: z.string() }),
    http: { method: 'POST', path: '/images/sign', status: 201 },
    // Vouching for an image is part of releasing it, as pushing is.
    permission: 'container:push',
  }),
  'images.signatures': defineRequest({
    summary:
      "The signatures the engine holds for a local image, each verified again now: verified (signature, payload and key agree, and the payload names this image) and trusted (by this engine's key).",
    input: z.object({ ref: LocalImageRef }),
    output: z.object({ image: z.string(), signatures: z.array(ImageSignature) }),
    http: { method: 'GET', path: '/images/signatures' },
    permission: 'container:pull',
  }),
  'images.signing_key': defineRequest({
    summary:
      "The engine's public signing key (SPKI PEM) and its key id, to list in another engine's signing.keys. The private key never leaves the engine.",
    input: z.object({}),
    output: z.object({ algorithm: z.literal('ed25519'), key_id: z.string(), public_key: z.string() }),
    http: { method: 'GET', path: '/images/signing-key' },
    permission: 'container:pull',
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

export const imageEvents = {
  'image.deleted': z.object({ digest: z.string(), untagged: z.array(z.string()), pruned: z.boolean() }),
  'image.exported': z.object({ ref: z.string(), digest: z.string(), format: ExportFormat, dest: z.string() }),
  'image.signed': z.object({ image: z.string(), digest: z.string(), key_id: z.string() }),
};
