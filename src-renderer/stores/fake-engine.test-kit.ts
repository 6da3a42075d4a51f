/**
 * For unit tests of stores: an engine behind the preload bridge whose answers each test writes, recording
 * every request and letting the test emit events. Views never see it; they talk to the real engine.
 */
import { openEngineLink, type AnyEngineEvent, type EngineHost, type EngineLink } from '../bridge';

type Bridge = NonNullable<EngineHost['govc']>;

/** Thrown by a handler to answer with an engine error (code, message, details), as the engine would. */
export class EngineRefusal {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly details?: Record<string, unknown>,
  ) {}
}

export type Handlers = Record<string, (input: Record<string, unknown>) => unknown>;

export interface FakeEngine {
  link: EngineLink;
  calls: { name: string; input: Record<string, unknown> }[];
  names(): string[];
  emit(type: string, data: unknown, repo?: string): void;
}

export function fakeEngine(handlers: Handlers): FakeEngine {
  const calls: FakeEngine['calls'] = [];
  const listeners = new Set<(event: AnyEngineEvent) => void>();
  let seq = 0;
  const bridge: Bridge = {
    async invoke(name, input) {
      const args = (input ?? {}) as Record<string, unknown>;
      calls.push({ name, input: args });
      const handler = handlers[name];
      if (!handler) return { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `no fake for ${name}` } };
      try {
        return { ok: true, value: await handler(args) };
      } catch (err) {
        if (err instanceof EngineRefusal) {
          return { ok: false, error: { code: err.code, message: err.message, details: err.details } };
        }
        throw err;
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    link: openEngineLink({ govc: bridge }),
    calls,
    names: () => calls.map((call) => call.name),
    emit(type, data, repo) {
      seq += 1;
      const event = { id: String(seq), seq, type, repo, time: new Date(0).toISOString(), actor: 'other', data };
      for (const listener of [...listeners]) listener(event as AnyEngineEvent);
    },
  };
}

/** Web Storage semantics over a Map. */
export function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

export const OID = (digit: string) => digit.repeat(40);
