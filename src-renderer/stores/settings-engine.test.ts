import { describe, expect, it } from 'vitest';
import { EngineRefusal, fakeEngine, memoryStorage } from './fake-engine.test-kit';
import { createSettingsStore } from './settings';

const headlessApi = { changeable: false, enabled: true, port: null, url: null, token_file: null, problem: null };

describe('settings store: engine settings', () => {
  it('reads them, changes the persistence default, and says why the engine refused the API server', async () => {
    let persist_default = false;
    const engine = fakeEngine({
      'system.settings.get': () => ({ persist_default, api_server: headlessApi }),
      'system.settings.set': (input) => {
        if (input.api_server) throw new EngineRefusal('UNAVAILABLE', 'govc serve is the API server');
        persist_default = input.persist_default as boolean;
        return { persist_default, api_server: headlessApi };
      },
    });
    const store = createSettingsStore(engine.link, memoryStorage());
    await store.getState().loadEngine();
    expect(store.getState().engine).toEqual({ persist_default: false, api_server: headlessApi });

    expect(await store.getState().setPersistDefault(true)).toBe(true);
    expect(engine.calls.at(-1)).toEqual({ name: 'system.settings.set', input: { persist_default: true } });
    expect(store.getState().engine?.persist_default).toBe(true);

    expect(await store.getState().setApiServer({ enabled: false })).toBe(false);
    expect(store.getState().problems.engine).toBe(
      'Could not turn the API server off: govc serve is the API server (UNAVAILABLE)',
    );
    // The refusal leaves what the engine said last.
    expect(store.getState().engine?.api_server.enabled).toBe(true);
  });
});
