import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, type EngineLink, type RequestOutput, type StreamState, type SystemInfo } from '../bridge';

export type LinkStatus = 'connecting' | 'connected' | 'disconnected';

export type EchoState =
  | { phase: 'idle' }
  | { phase: 'waiting'; message: string }
  | { phase: 'answered'; reply: RequestOutput<'system.echo'>; roundTripMs: number }
  | { phase: 'failed'; message: string; problem: string };

export interface SystemState {
  transport: EngineLink['transport'];
  stream: StreamState;
  info: SystemInfo | undefined;
  /** Why the last request for the engine's info failed; cleared by the next success. */
  problem: string | undefined;
  echo: EchoState;
  refresh(): Promise<void>;
  pingEngine(message: string): Promise<void>;
  /** Follows the event stream's health; returns what stops following it. */
  attach(): () => void;
}

/**
 * Connected means both halves work: requests (the info came back) and the event stream (open), so that
 * an event caused by a request made now is not missed.
 */
export function statusOf(state: Pick<SystemState, 'info' | 'problem' | 'stream'>): LinkStatus {
  if (state.problem !== undefined || state.stream === 'lost') return 'disconnected';
  if (state.info !== undefined && state.stream === 'open') return 'connected';
  return 'connecting';
}

export type SystemStore = StoreApi<SystemState>;

export function createSystemStore(link: EngineLink, clock: () => number = () => performance.now()): SystemStore {
  return createStore<SystemState>()((set, get) => ({
    transport: link.transport,
    stream: link.streamState(),
    info: undefined,
    problem: undefined,
    echo: { phase: 'idle' },

    async refresh() {
      try {
        const info = await link.invoke('system.info', {});
        set({ info, problem: undefined });
      } catch (err) {
        set({ problem: describeFailure(err) });
      }
    },

    async pingEngine(message) {
      set({ echo: { phase: 'waiting', message } });
      const started = clock();
      try {
        const reply = await link.invoke('system.echo', { message });
        set({ echo: { phase: 'answered', reply, roundTripMs: Math.round(clock() - started) } });
      } catch (err) {
        set({ echo: { phase: 'failed', message, problem: describeFailure(err) } });
      }
    },

    attach() {
      set({ stream: link.streamState() });
      const stop = link.onStreamState((stream) => {
        const wasLost = get().stream === 'lost';
        set({ stream });
        // The engine may have restarted (new version, or a session it no longer knows): ask again.
        if (stream === 'open' && wasLost) void get().refresh();
      });
      void get().refresh();
      return stop;
    },
  }));
}
