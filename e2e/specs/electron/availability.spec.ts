/**
 * The decision behind the Electron spec's one allowed skip, checked on every machine (it needs no
 * Electron): a skip must name its real cause, and a present binary must never be skipped.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { electronAvailability } from '../../support/electron';

test.describe('electronAvailability', () => {
  let root: string;
  test.beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'govc-electron-avail-'));
    mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true });
  });
  test.afterEach(() => rmSync(root, { recursive: true, force: true }));

  const install = (): string => {
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    mkdirSync(join(root, 'node_modules', 'electron', 'dist'));
    const executable = join(root, 'node_modules', 'electron', 'dist', 'electron');
    writeFileSync(executable, '');
    return executable;
  };

  test('is unavailable, saying why, when the binary was never downloaded', () => {
    const result = electronAvailability({ root, env: { DISPLAY: ':0' }, platform: 'linux' });
    expect(result).toMatchObject({ available: false, reason: expect.stringContaining('path.txt is missing') });
  });

  test('is unavailable when path.txt names a binary that is gone', () => {
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    const result = electronAvailability({ root, env: { DISPLAY: ':0' }, platform: 'linux' });
    expect(result).toMatchObject({ available: false, reason: expect.stringContaining('does not exist') });
  });

  test('needs a display on Linux only', () => {
    const executablePath = install();
    expect(electronAvailability({ root, env: {}, platform: 'linux' })).toMatchObject({
      available: false,
      reason: expect.stringContaining('xvfb-run'),
    });
    expect(electronAvailability({ root, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' })).toEqual({
      available: true,
      executablePath,
    });
    expect(electronAvailability({ root, env: {}, platform: 'darwin' })).toEqual({ available: true, executablePath });
  });

  test('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package', () => {
    const dist = join(root, 'custom');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '');
    const env = { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':0' };
    expect(electronAvailability({ root, env, platform: 'linux' })).toEqual({
      available: true,
      executablePath: join(dist, 'electron'),
    });
  });
});
