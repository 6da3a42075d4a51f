/**
 * What the Registry view needs from the registry part of the contract. `registry.repositories` gives each
 * repository's tags and a manifest count, not per-tag digests, media types, sizes or referrers.
 */
import type { AnyEngineEvent, RequestOutput } from '../../src-shared/contract';

export type RegistryOverview = RequestOutput<'registry.repositories'>;
export type RegistryRepository = RegistryOverview['repositories'][number];
export type RegistryGcResult = RequestOutput<'registry.gc'>;

/** Events after which the registry's repositories or tags may differ. */
export function changesRegistry(event: AnyEngineEvent): boolean {
  return event.type === 'registry.push';
}
