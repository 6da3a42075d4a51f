/**
 * The referrers API's answer (distribution-spec 1.1): an OCI image index of the repository's manifests
 * whose `subject` is the given digest, each described with its artifactType and annotations.
 */
import type { Repository } from './repositories';

export function referrersIndex(
  repo: Repository | undefined,
  subject: string,
  artifactType?: string,
): Record<string, unknown> {
  const manifests: Array<Record<string, unknown>> = [];
  for (const record of repo?.manifests.values() ?? []) {
    if (record.subject !== subject) continue;
    if (artifactType !== undefined && record.artifactType !== artifactType) continue;
    manifests.push({
      mediaType: record.mediaType,
      digest: record.digest,
      size: record.size,
      ...(record.artifactType === undefined ? {} : { artifactType: record.artifactType }),
      ...(record.annotations === undefined ? {} : { annotations: record.annotations }),
    });
  }
  manifests.sort((a, b) => String(a.digest).localeCompare(String(b.digest)));
  return { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests };
}
