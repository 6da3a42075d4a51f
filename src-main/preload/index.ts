/**
 * The sandboxed preload: exposes exactly one object, `window.govc` (the contract's GovcBridge), and never
 * ipcRenderer itself, so the page can reach the engine's requests and events and nothing else of IPC.
 * Bundled as CommonJS: a sandboxed preload cannot load ES modules.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AnyEngineEvent, GovcBridge, IPC_CHANNELS, InvokeResult } from '../../src-shared/contract';

/**
 * The channel names, typed as the contract's own constant so that any drift fails the typecheck. They are
 * not imported as a value: the contract module builds its zod schemas on load, and a sandboxed preload
 * cannot `require('zod')` (it may load only electron and a few Node shims).
 */
const CHANNELS: typeof IPC_CHANNELS = { invoke: 'govc:invoke', event: 'govc:event' };

const bridge: GovcBridge = {
  async invoke(name, input) {
    try {
      return (await ipcRenderer.invoke(CHANNELS.invoke, { name, input })) as InvokeResult;
    } catch (err) {
      // Only IPC itself can fail here (no handler yet, the main process going away); keep the envelope promise.
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { code: 'UNAVAILABLE', message: `The engine did not answer: ${message}` } };
    }
  },
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    const forward = (_event: IpcRendererEvent, engineEvent: AnyEngineEvent): void => listener(engineEvent);
    ipcRenderer.on(CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(CHANNELS.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('govc', bridge);
