/**
 * Whether the desktop shell can be driven here. Electron 45 downloads its binary on the first
 * `require('electron')`, which fails offline, so presence is checked by files only: the `path.txt` the
 * installer writes and the executable under `dist/` it names (or ELECTRON_OVERRIDE_DIST_PATH, which the
 * electron package also honours). On Linux a window also needs a display (run under `xvfb-run` in CI).
 * scripts/start.mjs makes the same checks in plain JavaScript.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What `npm run build` writes and package.json's `main` names. */
export const MAIN_BUNDLE = join(REPO_ROOT, 'out', 'main', 'index.js');

export type ElectronAvailability = { available: true; executablePath: string } | { available: false; reason: string };

export interface AvailabilityOptions {
  root?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export function electronAvailability(options: AvailabilityOptions = {}): ElectronAvailability {
  const { root = REPO_ROOT, env = process.env, platform = process.platform } = options;
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const relativeExecutable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;

  let executablePath: string;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    executablePath = join(env.ELECTRON_OVERRIDE_DIST_PATH, relativeExecutable || 'electron');
  } else if (relativeExecutable === undefined) {
    return {
      available: false,
      reason:
        'the Electron binary is not installed (node_modules/electron/path.txt is missing); electron 45 ' +
        'downloads it from GitHub on first use, which this machine cannot reach',
    };
  } else {
    executablePath = join(packageDir, 'dist', relativeExecutable);
  }
  if (!existsSync(executablePath)) {
    return { available: false, reason: `the Electron binary ${executablePath} does not exist` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { available: false, reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset); run under xvfb-run' };
  }
  return { available: true, executablePath };
}
