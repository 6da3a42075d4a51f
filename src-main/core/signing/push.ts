/**
 * Pushes signature artifacts after their image, to the same registry repository, by digest: a registry
 * that speaks OCI 1.1 then lists them under the image in its referrers API. Their two small blobs (the
 * empty config and the envelope) go up as any image's do.
 */
import type { ContentStore } from '../build/store/content-store';
import type { Descriptor, ImageManifest } from '../build/oci/types';
import { credentialsFor, type Credentials } from '../registry/client/auth-files';
import { httpError, uploadBlob, type BlobTarget } from '../registry/client/blobs';
import { BlobProgress } from '../registry/client/progress';
import { parseReference } from '../registry/client/reference';
import { RegistryTransport } from '../registry/client/transport';

export async function pushSignatures(
  store: ContentStore,
  destination: string,
  artifacts: readonly Descriptor[],
  credentials?: Credentials,
): Promise<void> {
  if (artifacts.length === 0) return;
  const ref = parseReference(destination);
  const creds = credentials ?? credentialsFor(ref.host);
  const to: BlobTarget = {
    transport: new RegistryTransport(ref.baseUrl, creds ? { credentials: creds } : {}),
    repository: ref.repository,
    scopes: [`repository:${ref.repository}:pull,push`],
  };
  for (const artifact of artifacts) {
    const bytes = await store.get(artifact.digest);
    const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
    for (const blob of [manifest.config, ...manifest.layers]) {
      const progress = new BlobProgress(undefined, {
        direction: 'push',
        reference: destination,
        digest: blob.digest,
        total: blob.size,
      });
      await uploadBlob(store.blobs, to, blob.digest, blob.size, progress, { chunkBytes: 16 * 1024 * 1024 });
    }
    const res = await to.transport.request(
      `/v2/${ref.repository}/manifests/${artifact.digest}`,
      { method: 'PUT', headers: { 'content-type': artifact.mediaType }, body: bytes },
      to.scopes,
    );
    await res.body?.cancel();
    if (res.status !== 201) throw httpError(res, `PUT signature ${artifact.digest} of ${ref.repository}`);
  }
}
