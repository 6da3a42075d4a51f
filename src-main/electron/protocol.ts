/**
 * The renderer is served from `app://govc/`, a privileged standard scheme, instead of `file://`: the app
 * gets a real origin (so CSP `'self'` and same-origin rules mean something) and a page can read nothing
 * but the built renderer folder. Every response carries the same CSP the web server sends.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import type { Logger } from 'pino';
import { CONTENT_SECURITY_POLICY } from '../server/security';
import { APP_SCHEME, resolveAppAsset } from './protocol-paths';

/** Must run before the app is ready: Chromium fixes its scheme table at startup. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // Not corsEnabled: that privilege would let other origins read our responses; we only load our own.
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

const COMMON_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}

/** Serves `rendererDir` on the app scheme of the default session, for the life of the app. */
export function serveRenderer(rendererDir: string, logger: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(rendererDir, { method: request.method, url: request.url });
    if (asset.kind === 'rejected') {
      logger.warn({ url: request.url, status: asset.status, reason: asset.reason }, 'app:// request refused');
      return textResponse(asset.status, asset.reason);
    }
    let body: Buffer;
    try {
      body = await readFile(asset.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return textResponse(404, 'not found');
      logger.error({ err, path: asset.path }, 'app:// file could not be read');
      return textResponse(500, 'the file could not be read');
    }
    const headers = { ...COMMON_HEADERS, 'content-type': asset.mimeType, 'content-length': String(body.length) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  });
}
