/**
 * Clients of the contract over either transport. Both rebuild errors as `GovcError` with the engine's code.
 * Plain web APIs only (fetch, EventSource), so the renderer, tests and the CLI share them.
 */
import { GovcError, isErrorPayload } from './errors';
import {
  fillPath,
  pathParams,
  requests,
  type AnyEngineEvent,
  type GovcBridge,
  type GovcClient,
  type RequestInput,
  type RequestName,
  type RequestOutput,
} from './contract';

export const API_PREFIX = '/api/v1';

export function createBridgeClient(bridge: GovcBridge): GovcClient {
  return {
    async invoke(name, input) {
      const result = await bridge.invoke(name, input);
      if (result.ok) return result.value as never;
      throw GovcError.fromJSON(result.error);
    },
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

export interface HttpClientOptions {
  /** Origin of the engine, e.g. `http://127.0.0.1:8080`; empty for same-origin (the web app). */
  baseUrl?: string;
  /** API token for `Authorization: Bearer`; the web app relies on its session cookie instead. */
  token?: string;
  fetch?: typeof fetch;
  /** Opens the event stream; defaults to the global EventSource where there is one. */
  eventSource?: (url: string) => EventSourceLike;
}

export interface EventSourceLike {
  onmessage: ((ev: { data: string }) => void) | null;
  close(): void;
}

/** Splits an input into the request's path, query string and JSON body, as the contract's HTTP binding says. */
export function httpRequestFor<N extends RequestName>(
  name: N,
  input: RequestInput<N>,
): { method: string; path: string; body?: string } {
  const spec = requests[name];
  const values = { ...(input as Record<string, unknown>) };
  const path = fillPath(spec.http.path, values);
  for (const p of pathParams(spec.http.path)) delete values[p.name];
  const method = spec.http.method;
  if (method === 'GET' || method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) continue;
      query.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    const qs = query.toString();
    return { method, path: API_PREFIX + path + (qs ? `?${qs}` : '') };
  }
  return { method, path: API_PREFIX + path, body: JSON.stringify(values) };
}

export function createHttpClient(options: HttpClientOptions = {}): GovcClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  return {
    async invoke(name, input) {
      const req = httpRequestFor(name, input);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const res = await doFetch(base + req.path, {
        method: req.method,
        headers,
        body: req.body,
        credentials: 'same-origin',
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        throw new GovcError('INTERNAL', `The engine answered ${res.status} with a body that is not JSON`);
      }
      if (!res.ok) {
        const error = (parsed as { error?: unknown } | undefined)?.error;
        if (isErrorPayload(error)) throw GovcError.fromJSON(error);
        throw new GovcError('INTERNAL', `The engine answered ${res.status}`);
      }
      return parsed as RequestOutput<typeof name>;
    },
    onEvent(listener: (event: AnyEngineEvent) => void) {
      const open =
        options.eventSource ??
        ((url: string) =>
          new (globalThis as unknown as { EventSource: new (u: string) => EventSourceLike }).EventSource(url));
      const source = open(`${base}${API_PREFIX}/events`);
      source.onmessage = (ev) => listener(JSON.parse(ev.data) as AnyEngineEvent);
      return () => source.close();
    },
  };
}
