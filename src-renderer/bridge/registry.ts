/**
 * What the Registry view needs from the registry part of the contract: `registry.repositories` lists the
 * repositories with their tags and a manifest count; `registry.repository` details one of them (each tag's
 * manifest, sizes, an index's platforms, referrers).
 */
import type { AnyEngineEvent, RequestOutput } from '../../src-shared/contract';

export type RegistryOverview = RequestOutput<'registry.repositories'>;
export type RegistryRepository = RegistryOverview['repositories'][number];
export type RegistryRepositoryDetails = RequestOutput<'registry.repository'>;
export type RegistryManifest = RegistryRepositoryDetails['tags'][number]['manifest'];
export type RegistryGcResult = RequestOutput<'registry.gc'>;

/** Events after which the registry's repositories or tags may differ. */
export function changesRegistry(event: AnyEngineEvent): boolean {
  return event.type === 'registry.push';
}

const MEDIA_TYPE_NAMES: Record<string, string> = {
  'application/vnd.oci.image.manifest.v1+json': 'OCI image',
  'application/vnd.oci.image.index.v1+json': 'OCI index',
  'application/vnd.docker.distribution.manifest.v2+json': 'Docker schema 2',
  'application/vnd.docker.distribution.manifest.list.v2+json': 'Docker manifest list',
};

/** A manifest media type in the words `docker manifest inspect` users know; unknown ones as they are. */
export function mediaTypeName(mediaType: string): string {
  return MEDIA_TYPE_NAMES[mediaType] ?? mediaType;
}
