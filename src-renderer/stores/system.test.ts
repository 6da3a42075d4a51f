import { describe, expect, it } from 'vitest';
import type { AnyEngineEvent, GovcBridge, InvokeResult, SystemInfo } from '../../src-shared/contract';
import { openEngineLink, type EngineLink, type StreamState } from '../bridge';
import { createSystemStore, statusOf } from './system';

const info: SystemInfo = {
  name: 'govc Studio',
  version: '1.2.3',
  mode: 'desktop',
  platform: 'linux/x64',
  node: '20.0.0',
  dataDir: '/data',
  startedAt: '2026-01-01T00:00:00.000Z',
};

/** An engine behind the preload bridge whose answers the test sets. */
function engine(answer: (name: string, input: unknown) => InvokeResult) {
  const calls: string[] = [];
  const bridge: GovcBridge = {
    async invoke(name, input) {
      calls.push(name);
      return answer(name, input);
    },
    onEvent: (_listener: (event: AnyEngineEvent) => void) => () => undefined,
  };
  return { link: openEngineLink({ govc: bridge }), calls };
}

describe('statusOf', () => {
  it.each([
    [{ info: undefined, problem: undefined, stream: 'connecting' }, 'connecting'],
    [{ info, problem: undefined, stream: 'connecting' }, 'connecting'],
    [{ info, problem: undefined, stream: 'open' }, 'connected'],
    [{ info, problem: undefined, stream: 'lost' }, 'disconnected'],
    [{ info, problem: 'refused', stream: 'open' }, 'disconnected'],
  ] as const)('%o is %s', (state, status) => {
    expect(statusOf(state)).toBe(status);
  });
});

describe('system store', () => {
  it('is connected once the engine has answered and events can flow', async () => {
    const { link } = engine(() => ({ ok: true, value: info }));
    const store = createSystemStore(link);
    link.onEvent(() => undefined);
    store.getState().attach();
    await expect.poll(() => store.getState().info).toEqual(info);
    expect(statusOf(store.getState())).toBe('connected');
  });

  it('says how to sign in when the engine refuses the session', async () => {
    const { link } = engine(() => ({ ok: false, error: { code: 'UNAUTHORIZED', message: 'no session' } }));
    const store = createSystemStore(link);
    await store.getState().refresh();
    expect(statusOf(store.getState())).toBe('disconnected');
    expect(store.getState().problem).toMatch(/Not signed in/);
  });

  it('pings: shows the reply with its round-trip time, or why it failed', async () => {
    let fail = false;
    const { link } = engine((_name, input) =>
      fail
        ? { ok: false, error: { code: 'VALIDATION_FAILED', message: 'message is too long' } }
        : { ok: true, value: { message: (input as { message: string }).message, receivedAt: 'then' } },
    );
    let now = 100;
    const store = createSystemStore(link, () => (now += 7));

    const pending = store.getState().pingEngine('hello');
    expect(store.getState().echo).toEqual({ phase: 'waiting', message: 'hello' });
    await pending;
    expect(store.getState().echo).toEqual({
      phase: 'answered',
      reply: { message: 'hello', receivedAt: 'then' },
      roundTripMs: 7,
    });

    fail = true;
    await store.getState().pingEngine('x');
    expect(store.getState().echo).toEqual({
      phase: 'failed',
      message: 'x',
      problem: 'message is too long (VALIDATION_FAILED)',
    });
  });

  it('asks the engine again when a lost event stream comes back (it may have restarted)', async () => {
    const { link: ipc, calls } = engine(() => ({ ok: true, value: info }));
    let stream: StreamState = 'connecting';
    const listeners = new Set<(state: StreamState) => void>();
    const move = (next: StreamState) => {
      stream = next;
      for (const listener of listeners) listener(next);
    };
    const link: EngineLink = {
      ...ipc,
      transport: 'http',
      streamState: () => stream,
      onStreamState(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const store = createSystemStore(link);
    const detach = store.getState().attach();
    move('open');
    await expect.poll(() => statusOf(store.getState())).toBe('connected');

    move('lost');
    expect(statusOf(store.getState())).toBe('disconnected');
    move('open');
    await expect.poll(() => calls.filter((name) => name === 'system.info')).toHaveLength(2);
    expect(statusOf(store.getState())).toBe('connected');

    detach();
    move('lost');
    expect(store.getState().stream).toBe('open');
  });
});
