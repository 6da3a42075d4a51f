/**
 * Decisions taken from the command line and environment before the app is ready. A packaged app ignores
 * `ELECTRON_RENDERER_URL`: only a development run may load its UI from a dev server, and only a loopback one.
 */

export interface LaunchInputs {
  /** The value of `--user-data-dir`, '' when absent (as Electron's commandLine reports it). */
  userDataSwitch: string;
  env: NodeJS.ProcessEnv;
  isPackaged: boolean;
}

export interface LaunchOptions {
  /** Replaces Electron's userData folder (tests, or several profiles side by side). */
  userDataDir?: string;
  /** The electron-vite dev server to load instead of `app://govc/`. */
  devRendererUrl?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackDevServer(rawUrl: string): boolean {
  try {
    const url = new URL(rawUrl);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

export function resolveLaunchOptions({ userDataSwitch, env, isPackaged }: LaunchInputs): LaunchOptions {
  const options: LaunchOptions = {};
  // The switch wins over the environment, as a command line usually does; GOVC_DATA_DIR is what `govc serve` reads.
  const userDataDir = userDataSwitch || env.GOVC_DATA_DIR;
  if (userDataDir) options.userDataDir = userDataDir;
  const devUrl = env.ELECTRON_RENDERER_URL;
  if (!isPackaged && devUrl && isLoopbackDevServer(devUrl)) options.devRendererUrl = devUrl;
  return options;
}
