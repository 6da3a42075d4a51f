/**
 * Test helpers speaking the registry protocol over real HTTP: push blobs and manifests the way clients
 * do, so tests state what they check rather than how a push is spelled.
 */
import { digestOf } from '../../core/registry/digest';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface Client {
  url: string;
  headers: Record<string, string>;
}

export function req(client: Client, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(client.url + path, {
    ...init,
    headers: { ...client.headers, ...(init.headers as Record<string, string>) },
  });
}

export async function pushBlob(client: Client, repo: string, data: Buffer): Promise<string> {
  const digest = digestOf(data);
  const head = await req(client, `/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return digest;
  const res = await req(client, `/v2/${repo}/blobs/uploads/?digest=${digest}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: data,
  });
  if (res.status !== 201) throw new Error(`push of ${digest} to ${repo}: ${res.status} ${await res.text()}`);
  return digest;
}

export function manifestOf(config: Buffer, layers: Buffer[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: digestOf(config),
        size: config.byteLength,
      },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: digestOf(l),
        size: l.byteLength,
      })),
      ...extra,
    }),
  );
}

/** Pushes layers, config and manifest; returns the manifest's digest. */
export async function pushImage(
  client: Client,
  repo: string,
  tag: string,
  layers: Buffer[],
  config?: Buffer,
): Promise<string> {
  const cfg = config ?? Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', repo, tag }));
  for (const blob of [...layers, cfg]) await pushBlob(client, repo, blob);
  const manifest = manifestOf(cfg, layers);
  const res = await req(client, `/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': OCI_MANIFEST },
    body: manifest,
  });
  if (res.status !== 201) throw new Error(`manifest ${repo}:${tag}: ${res.status} ${await res.text()}`);
  return digestOf(manifest);
}
