/**
 * The desktop app's lifecycle: one instance per data folder, the engine `govc serve` runs (with logs in
 * `<data>/logs`), the hardened main window, the optional loopback API, and an orderly shutdown on every
 * way out (last window closed, Cmd+Q, SIGTERM, SIGINT).
 */
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import type { Logger } from 'pino';
import { createEngine } from '../core/engine';
import { createLogger } from '../core/logging';
import { APP_DIR_NAME } from '../core/paths';
import { DesktopApiServer } from './api-server-control';
import { connectEngineToIpc } from './ipc';
import { resolveLaunchOptions } from './launch-options';
import { APP_ENTRY_URL, APP_ORIGIN } from './protocol-paths';
import { registerAppSchemePrivileges, serveRenderer } from './protocol';
import { denyAllPermissions, guardAllWebContents } from './security';
import { originOf } from './sender-policy';
import { readSettings } from './settings';
import { Shutdown } from './shutdown';
import { TrustedContents } from './trusted-contents';
import { createMainWindow } from './window';

export interface DesktopAppOptions {
  /**
   * The folder of the main bundle (out/main). The build puts its siblings next to it: out/preload/index.cjs
   * and out/renderer/. The entry file passes its own folder, because this module may end up in a chunk.
   */
  mainBundleDir: string;
}

function flushLogger(logger: Logger): Promise<void> {
  return new Promise((done, fail) => logger.flush((err) => (err ? fail(err) : done())));
}

export function startDesktopApp({ mainBundleDir }: DesktopAppOptions): void {
  const rendererDir = join(mainBundleDir, '..', 'renderer');
  const preloadPath = join(mainBundleDir, '..', 'preload', 'index.cjs');
  const launch = resolveLaunchOptions({
    userDataSwitch: app.commandLine.getSwitchValue('user-data-dir'),
    env: process.env,
    isPackaged: app.isPackaged,
  });
  // Unpackaged, Electron names the data folder after package.json's name; packaged, after productName
  // ("govc Studio"). Pinning it keeps one folder across both, the one `govc serve` uses by default.
  app.setPath(
    'userData',
    launch.userDataDir ? resolve(launch.userDataDir) : join(app.getPath('appData'), APP_DIR_NAME),
  );

  // The lock is per user-data folder: two engines on the same repositories would overwrite each other.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppSchemePrivileges();

  const dataDir = app.getPath('userData');
  const logger = createLogger({ destination: 'file', dataDir });
  logger.info(
    { dataDir, logDir: join(dataDir, 'logs'), version: app.getVersion(), electron: process.versions.electron },
    'govc Studio starting',
  );
  guardAllWebContents(logger);

  const shutdown = new Shutdown({
    onStepFailed: (step, err) => logger.error({ err, step }, 'a shutdown step failed'),
  });
  shutdown.add({ name: 'flush logs', run: () => flushLogger(logger) });

  let exiting = false;
  const quit = (reason: string, exitCode = 0): void => {
    if (exiting) return;
    exiting = true;
    logger.info({ reason }, 'govc Studio stopping');
    void shutdown.run(reason).then((clean) => app.exit(clean ? exitCode : 1));
  };
  // Quitting waits for the engine: the default quit is held once, and app.exit() ends it (and emits no
  // second before-quit).
  app.on('before-quit', (event) => {
    event.preventDefault();
    quit('quit');
  });
  process.once('SIGTERM', () => quit('SIGTERM'));
  process.once('SIGINT', () => quit('SIGINT'));

  let mainWindow: BrowserWindow | undefined;
  let openMainWindow: (() => void) | undefined;
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return openMainWindow?.();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock without windows; `activate` opens one again.
    if (process.platform !== 'darwin') quit('all windows closed');
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow?.();
  });

  const boot = async (): Promise<void> => {
    const engine = createEngine({ dataDir, mode: 'desktop', logger });
    shutdown.add({ name: 'engine', run: (reason) => engine.close(reason) });

    denyAllPermissions(session.defaultSession);
    serveRenderer(rendererDir, logger);

    const entryUrl = launch.devRendererUrl ?? APP_ENTRY_URL;
    const devOrigin = launch.devRendererUrl === undefined ? undefined : originOf(launch.devRendererUrl);
    const trusted = new TrustedContents();
    const disconnectIpc = connectEngineToIpc({
      engine,
      trusted,
      allowedOrigins: devOrigin === undefined ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin],
      logger,
    });
    shutdown.add({ name: 'ipc', run: disconnectIpc });

    openMainWindow = () => {
      mainWindow = createMainWindow({
        preloadPath,
        url: entryUrl,
        trusted,
        devTools: !app.isPackaged,
        logger,
      });
    };
    openMainWindow();

    const { settings, file, problem } = readSettings(dataDir);
    if (problem !== undefined) logger.warn({ file, problem }, 'settings file ignored; using defaults');
    // Lent to the engine so the Settings view can turn it on or off through the contract.
    const api = new DesktopApiServer({ engine, rendererDir, logger, settings });
    engine.settings.useApiServer(api);
    shutdown.add({ name: 'api server', run: () => api.close() });
    await api.start();
  };

  app
    .whenReady()
    .then(boot)
    .catch((err: unknown) => {
      if (exiting) return; // A quit during startup: shutdown.add refused the late step, nothing is wrong.
      logger.fatal({ err }, 'govc Studio could not start');
      dialog.showErrorBox('govc Studio could not start', err instanceof Error ? err.message : String(err));
      quit('startup failed', 1);
    });
}
