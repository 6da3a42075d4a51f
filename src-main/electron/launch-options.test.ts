import { describe, expect, it } from 'vitest';
import { isLoopbackDevServer, resolveLaunchOptions } from './launch-options';

describe('resolveLaunchOptions', () => {
  it('uses Electron defaults when nothing is set', () => {
    expect(resolveLaunchOptions({ userDataSwitch: '', env: {}, isPackaged: true })).toEqual({});
  });

  it('takes the user-data folder from --user-data-dir, else GOVC_DATA_DIR', () => {
    const env = { GOVC_DATA_DIR: '/from/env' };
    expect(resolveLaunchOptions({ userDataSwitch: '/from/switch', env, isPackaged: true }).userDataDir).toBe(
      '/from/switch',
    );
    expect(resolveLaunchOptions({ userDataSwitch: '', env, isPackaged: true }).userDataDir).toBe('/from/env');
  });

  it('loads a loopback dev server only in development', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    expect(resolveLaunchOptions({ userDataSwitch: '', env, isPackaged: false }).devRendererUrl).toBe(
      'http://localhost:5173/',
    );
    expect(resolveLaunchOptions({ userDataSwitch: '', env, isPackaged: true }).devRendererUrl).toBeUndefined();
    const remote = { ELECTRON_RENDERER_URL: 'http://attacker.example:5173/' };
    expect(resolveLaunchOptions({ userDataSwitch: '', env: remote, isPackaged: false }).devRendererUrl).toBeUndefined();
  });
});

describe('isLoopbackDevServer', () => {
  it.each([
    ['http://localhost:5173/', true],
    ['http://127.0.0.1:5173', true],
    ['http://[::1]:5173/', true],
    ['https://localhost/', true],
    ['http://localhost.attacker.example/', false],
    ['file:///tmp/index.html', false],
    ['garbage', false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopbackDevServer(url)).toBe(expected);
  });
});
