/**
 * What the sidebar's DEFINITIONS section needs from the definitions part of the contract: the kinds in the
 * engine's order, the relations graph, and the definition.* events that keep both current.
 */
import type { AnyEngineEvent, DefinitionType, RequestOutput } from '../../src-shared/contract';

export type DefinitionKind = DefinitionType;
export type DefinitionEdge = RequestOutput<'definitions.graph'>['edges'][number];
export type DefinitionEvent = Extract<AnyEngineEvent, { type: `definition.${string}` }>;

// A record rather than a list, so a kind added to the contract fails the type check here until placed.
const KIND_ORDER: Record<DefinitionKind, number> = { dockerfile: 0, compose: 1, kubernetes: 2, kustomize: 3, helm: 4 };

export const DEFINITION_KINDS = (Object.keys(KIND_ORDER) as DefinitionKind[]).sort(
  (a, b) => KIND_ORDER[a] - KIND_ORDER[b],
);

export function isDefinitionEvent(event: AnyEngineEvent): event is DefinitionEvent {
  return event.type.startsWith('definition.');
}
