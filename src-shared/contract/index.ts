/**
 * The one contract between the engine and its clients. Both transports (Electron IPC, HTTP + SSE) and the
 * engine's handlers are typed from these two tables; adding a request means adding it here and giving it
 * one handler in `src-main/handlers`.
 */
import type { z } from 'zod';
import { authEvents, authRequests } from './auth';
import { buildEvents, buildRequests } from './builds';
import { definitionEvents, definitionRequests } from './definitions';
import { definitionHelpRequests } from './definitions-help';
import { imageEvents, imageRequests } from './images';
import { policyEvents, policyRequests } from './policy';
import { registryEvents, registryRequests } from './registry';
import { repoEvents, repoRequests } from './repos';
import { systemEvents, systemRequests } from './system';
import { webhookEvents, webhookRequests } from './webhooks';

export * from './auth';
export * from './builds';
export * from './define';
export * from './definitions';
export * from './definitions-help';
export * from './images';
export * from './policy';
export * from './registry';
export * from './repos';
export * from './system';
export * from './webhooks';

export const requests = {
  ...systemRequests,
  ...authRequests,
  ...webhookRequests,
  ...repoRequests,
  ...registryRequests,
  ...definitionRequests,
  ...definitionHelpRequests,
  ...imageRequests,
  ...buildRequests,
  ...policyRequests,
};

export const events = {
  ...systemEvents,
  ...authEvents,
  ...webhookEvents,
  ...repoEvents,
  ...registryEvents,
  ...definitionEvents,
  ...imageEvents,
  ...buildEvents,
  ...policyEvents,
};

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
export type ParsedInput<N extends RequestName> = z.output<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<Requests[N]['output']>;

export type Events = typeof events;
export type EventType = keyof Events;
export type EventData<T extends EventType> = z.output<Events[T]>;

/** Every event the engine emits has this envelope; `seq` orders events (and resumes a stream). */
export interface EngineEvent<T extends EventType = EventType> {
  id: string;
  seq: number;
  type: T;
  repo?: string;
  time: string;
  actor: string;
  data: EventData<T>;
}

export type AnyEngineEvent = { [T in EventType]: EngineEvent<T> }[EventType];

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

export function isEventType(name: string): name is EventType {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** What a client of the engine can do, whichever transport carries it. */
export interface GovcClient {
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  /** Subscribes to engine events; returns a function that unsubscribes. */
  onEvent(listener: (event: AnyEngineEvent) => void): () => void;
}

/**
 * The narrow object the Electron preload exposes as `window.govc`. It never throws across the bridge:
 * results come back as envelopes so that error codes survive (Electron drops custom error properties).
 */
export interface GovcBridge {
  invoke(name: string, input: unknown): Promise<InvokeResult>;
  onEvent(listener: (event: AnyEngineEvent) => void): () => void;
}

export type InvokeResult = { ok: true; value: unknown } | { ok: false; error: import('../errors').ErrorPayload };

export const IPC_CHANNELS = {
  invoke: 'govc:invoke',
  event: 'govc:event',
} as const;
