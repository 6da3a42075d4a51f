/**
 * The main window. Its renderer has no Node (sandboxed, context-isolated) and talks to the engine only
 * through the preload's `window.govc`. The window shows once its first frame is painted.
 */
import { BrowserWindow } from 'electron';
import type { Logger } from 'pino';
import { PRODUCT_NAME, windowTitleFor } from './navigation-policy';
import type { TrustedContents } from './trusted-contents';

export interface MainWindowOptions {
  preloadPath: string;
  /** `app://govc/`, or the dev server in development. */
  url: string;
  trusted: TrustedContents;
  /** DevTools stay available in development only. */
  devTools: boolean;
  logger: Logger;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: PRODUCT_NAME,
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 500,
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  // Trusted before the page loads, so the renderer's first invoke is answered.
  options.trusted.add(window.webContents);

  window.once('ready-to-show', () => window.show());
  window.on('page-title-updated', (event, title) => {
    event.preventDefault();
    window.setTitle(windowTitleFor(title));
  });
  window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (isMainFrame) options.logger.error({ code, description, url }, 'the main window failed to load');
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    options.logger.error({ reason: details.reason, exitCode: details.exitCode }, 'the renderer process is gone');
  });

  window.loadURL(options.url).catch((err: unknown) => {
    options.logger.error({ err, url: options.url }, 'the main window could not load its page');
  });
  return window;
}
