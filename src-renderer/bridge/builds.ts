/**
 * What the build, settings and activity views need from the builds, definitions, webhooks and tokens parts
 * of the contract: the shapes they show and the inputs they send.
 */
import type { AnyEngineEvent, RequestInput, RequestOutput } from '../../src-shared/contract';

export type Build = RequestOutput<'builds.get'>;
export type BuildStep = Build['steps'][number];
export type BuildStatus = Build['status'];
export type BuildLogs = RequestOutput<'builds.logs'>;
export type BuildComparison = RequestOutput<'builds.compare'>;
export type BuildStepDiff = BuildComparison['steps'][number];
export type BuildSettings = RequestOutput<'builds.settings.get'>;
export type BuildCacheStats = RequestOutput<'builds.cache.stats'>;
export type BuildCachePruned = RequestOutput<'builds.cache.prune'>;
export type BuildRequest = RequestInput<'builds.create'>;

export type Definition = RequestOutput<'definitions.list'>['definitions'][number];
export type DockerfileDefinition = Extract<Definition, { type: 'dockerfile' }>;

export type Webhook = RequestOutput<'webhooks.list'>['webhooks'][number];
export type WebhookDelivery = RequestOutput<'webhooks.deliveries'>['deliveries'][number];

export type ApiToken = RequestOutput<'tokens.list'>['tokens'][number];
export type CreatedToken = RequestOutput<'tokens.create'>;
export type TokenRole = NonNullable<RequestInput<'tokens.create'>['role']>;

/** The build.* events, narrowed from the engine's event union. */
export type BuildEvent = Extract<AnyEngineEvent, { type: `build.${string}` }>;

export function isBuildEvent(event: AnyEngineEvent): event is BuildEvent {
  return event.type.startsWith('build.');
}

/** Terminal statuses: the build will not change any more. */
export function isFinished(status: BuildStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}
