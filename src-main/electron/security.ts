/**
 * Hardening that applies to every session and webContents, whoever creates them: no permission is ever
 * granted, no page navigates away from the app, no window opens, no <webview> attaches. Links the user
 * clicks leave for the system browser only through the allow-list in navigation-policy.ts.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import type { Logger } from 'pino';
import { externalLinkToOpen } from './navigation-policy';

/** Camera, microphone, notifications, clipboard reads, geolocation, HID…: the app needs none of them. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

function openIfAllowed(url: string, logger: Logger): void {
  const allowed = externalLinkToOpen(url);
  if (allowed === undefined) {
    logger.warn({ url }, 'blocked a link that is not on the external allow-list');
    return;
  }
  shell.openExternal(allowed).catch((err: unknown) => logger.warn({ err, url: allowed }, 'could not open link'));
}

export function guardWebContents(contents: WebContents, logger: Logger): void {
  // Reloads do not pass here; any other navigation would replace our UI (and its IPC trust) with another page.
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openIfAllowed(event.url, logger);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url, logger);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('blocked a <webview>');
  });
}

/** Guards every webContents the moment it exists, so none can slip past (devtools, future windows). */
export function guardAllWebContents(logger: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, logger));
}
