import { createBridgeClient, createHttpClient, type EventSourceLike } from '../../src-shared/client';
import type { AnyEngineEvent, GovcBridge, GovcClient } from '../../src-shared/contract';

/** `ipc` inside the desktop app (the preload's `window.govc`), `http` in a browser against `govc serve`. */
export type Transport = 'ipc' | 'http';

/** The event stream: `idle` until someone listens; `lost` while the browser retries a dropped stream. */
export type StreamState = 'idle' | 'connecting' | 'open' | 'lost';

/** The renderer's one connection to the engine: requests, one shared event stream, and that stream's health. */
export interface EngineLink extends GovcClient {
  readonly transport: Transport;
  streamState(): StreamState;
  onStreamState(listener: (state: StreamState) => void): () => void;
}

/** The part of the browser's EventSource the link uses. */
export interface StreamSource {
  addEventListener(type: 'open' | 'error' | 'message', listener: (event: Event) => void): void;
  close(): void;
}

/** What the link needs from its surroundings: `window` in the app. */
export interface EngineHost {
  govc?: GovcBridge;
  EventSource?: new (url: string) => StreamSource;
}

export function openEngineLink(host: EngineHost): EngineLink {
  let state: StreamState = 'idle';
  const stateListeners = new Set<(state: StreamState) => void>();
  const setState = (next: StreamState): void => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  let client: GovcClient;
  let transport: Transport;
  if (host.govc) {
    transport = 'ipc';
    client = createBridgeClient(host.govc);
  } else {
    transport = 'http';
    const EventSourceImpl = host.EventSource;
    client = createHttpClient({
      eventSource(url) {
        if (!EventSourceImpl) throw new Error('This browser has no EventSource: engine events cannot be received');
        const source = new EventSourceImpl(url);
        const stream: EventSourceLike = { onmessage: null, close: () => source.close() };
        source.addEventListener('message', (event) => stream.onmessage?.(event as MessageEvent<string>));
        source.addEventListener('open', () => setState('open'));
        // EventSource retries by itself (the server asks for 2 s) and resumes after Last-Event-ID.
        source.addEventListener('error', () => setState('lost'));
        return stream;
      },
    });
  }

  const shared = shareEventStream(client, {
    opened: () => setState(transport === 'ipc' ? 'open' : 'connecting'),
    closed: () => setState('idle'),
  });

  return {
    transport,
    invoke: (name, input) => client.invoke(name, input),
    onEvent: shared,
    streamState: () => state,
    onStreamState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}

/**
 * One underlying subscription for any number of listeners: a browser allows only a few connections per
 * origin over HTTP/1.1, so every view opening its own event stream would starve the requests.
 */
function shareEventStream(client: GovcClient, hooks: { opened(): void; closed(): void }): GovcClient['onEvent'] {
  const listeners = new Set<(event: AnyEngineEvent) => void>();
  let unsubscribe: (() => void) | undefined;
  const dispatch = (event: AnyEngineEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        // One failing view must not starve the others of events.
        console.error('An engine event listener failed', err);
      }
    }
  };
  return (listener) => {
    listeners.add(listener);
    if (!unsubscribe) {
      hooks.opened();
      unsubscribe = client.onEvent(dispatch);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && unsubscribe) {
        unsubscribe();
        unsubscribe = undefined;
        hooks.closed();
      }
    };
  };
}
