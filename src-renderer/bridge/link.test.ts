import { describe, expect, it } from 'vitest';
import type { AnyEngineEvent, GovcBridge, InvokeResult } from '../../src-shared/contract';
import { GovcError } from '../../src-shared/errors';
import { openEngineLink, type StreamState } from './link';

const echoEvent: AnyEngineEvent = {
  id: '1',
  seq: 1,
  type: 'system.echo',
  time: '2026-01-01T00:00:00.000Z',
  actor: 'admin',
  data: { message: 'hi' },
};

/** A preload bridge as Electron would expose it: envelopes in, listeners out. */
function bridgeAnswering(answer: (name: string, input: unknown) => InvokeResult) {
  const listeners = new Set<(event: AnyEngineEvent) => void>();
  const bridge: GovcBridge = {
    invoke: async (name, input) => answer(name, input),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge, listeners };
}

/** Stands in for the browser's EventSource: the test decides when it opens, fails and delivers. */
class ScriptedEventSource extends EventTarget {
  static opened: ScriptedEventSource[] = [];
  closed = false;
  constructor(readonly url: string) {
    super();
    ScriptedEventSource.opened.push(this);
  }
  close() {
    this.closed = true;
  }
  deliver(event: AnyEngineEvent) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(event) }));
  }
}

describe('openEngineLink over the Electron bridge', () => {
  it('sends requests through window.govc and rebuilds engine errors with their code', async () => {
    const { bridge } = bridgeAnswering((name, input) =>
      name === 'system.echo'
        ? { ok: true, value: { message: (input as { message: string }).message, receivedAt: 'now' } }
        : { ok: false, error: { code: 'FORBIDDEN', message: 'no' } },
    );
    const link = openEngineLink({ govc: bridge });

    expect(link.transport).toBe('ipc');
    await expect(link.invoke('system.echo', { message: 'hi' })).resolves.toEqual({ message: 'hi', receivedAt: 'now' });
    const failure = await link.invoke('system.info', {}).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(GovcError);
    expect((failure as GovcError).code).toBe('FORBIDDEN');
  });

  it('shares one bridge subscription among listeners and reports the stream open', () => {
    const { bridge, listeners } = bridgeAnswering(() => ({ ok: true, value: null }));
    const link = openEngineLink({ govc: bridge });
    const seen: string[] = [];

    expect(link.streamState()).toBe('idle');
    const stopA = link.onEvent((e) => seen.push(`a:${e.type}`));
    const stopB = link.onEvent((e) => seen.push(`b:${e.type}`));
    expect(listeners.size).toBe(1);
    expect(link.streamState()).toBe('open');

    for (const listener of listeners) listener(echoEvent);
    expect(seen).toEqual(['a:system.echo', 'b:system.echo']);

    stopA();
    stopB();
    expect(listeners.size).toBe(0);
    expect(link.streamState()).toBe('idle');
  });
});

describe('openEngineLink over HTTP', () => {
  it('opens one event stream, follows its health and closes it with the last listener', () => {
    ScriptedEventSource.opened = [];
    const link = openEngineLink({ EventSource: ScriptedEventSource });
    const states: StreamState[] = [];
    link.onStreamState((state) => states.push(state));
    const seen: AnyEngineEvent[] = [];

    expect(link.transport).toBe('http');
    const stopA = link.onEvent((e) => seen.push(e));
    const stopB = link.onEvent(() => undefined);
    expect(ScriptedEventSource.opened).toHaveLength(1);
    const source = ScriptedEventSource.opened[0]!;
    expect(source.url).toBe('/api/v1/events');

    source.dispatchEvent(new Event('open'));
    source.deliver(echoEvent);
    source.dispatchEvent(new Event('error'));
    source.dispatchEvent(new Event('open'));
    expect(seen).toEqual([echoEvent]);

    stopA();
    expect(source.closed).toBe(false);
    stopB();
    expect(source.closed).toBe(true);
    expect(states).toEqual(['connecting', 'open', 'lost', 'open', 'idle']);
  });

  it('keeps delivering to the other listeners when one throws', () => {
    ScriptedEventSource.opened = [];
    const link = openEngineLink({ EventSource: ScriptedEventSource });
    const seen: string[] = [];
    const originalError = console.error;
    console.error = () => undefined;
    try {
      link.onEvent(() => {
        throw new Error('broken view');
      });
      link.onEvent((e) => seen.push(e.type));
      ScriptedEventSource.opened[0]!.deliver(echoEvent);
    } finally {
      console.error = originalError;
    }
    expect(seen).toEqual(['system.echo']);
  });
});
