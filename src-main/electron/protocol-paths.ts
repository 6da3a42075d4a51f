/**
 * How an `app://govc/…` request maps onto the built renderer folder. Kept free of electron so the
 * traversal rules are unit-tested; protocol.ts only reads the file this function chose.
 */
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'govc';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the main window loads in a built app. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/`;

const ENTRY_FILE = 'index.html';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The Content-Type for a file name; unknown kinds are opaque bytes, which `nosniff` keeps from executing. */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type AssetResolution =
  | { kind: 'file'; path: string; mimeType: string }
  | { kind: 'rejected'; status: 400 | 403 | 404 | 405; reason: string };

function rejected(status: 400 | 403 | 404 | 405, reason: string): AssetResolution {
  return { kind: 'rejected', status, reason };
}

/**
 * Characters no asset name of ours contains, and that would let a decoded segment mean something else:
 * separators (`%2F`, `%5C`), NUL, and `:` (Windows drive letters and alternate data streams).
 */
const UNSAFE_SEGMENT = /[/\\\0:]/;

/**
 * Chooses the file that answers a request, or why none does. Paths are decoded segment by segment and
 * every segment is checked before it is joined, then the joined path is checked again against the folder,
 * so neither `..`, its encodings, nor an absolute path can leave the renderer folder.
 */
export function resolveAppAsset(rendererDir: string, request: { method: string; url: string }): AssetResolution {
  if (request.method !== 'GET' && request.method !== 'HEAD') return rejected(405, `${request.method} is not served`);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return rejected(400, 'not a URL');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return rejected(404, 'not an app://govc URL');

  const segments: string[] = [];
  for (const raw of url.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return rejected(400, 'malformed percent-encoding');
    }
    if (segment === '.' || segment === '..') return rejected(403, 'path leaves the renderer folder');
    if (UNSAFE_SEGMENT.test(segment)) return rejected(403, 'unsafe character in path');
    segments.push(segment);
  }

  // The renderer is a single-page app: a path without an extension is a route of it, not a file.
  const last = segments.at(-1);
  if (last === undefined || extname(last) === '') segments.splice(0, segments.length, ENTRY_FILE);

  const root = resolve(rendererDir);
  const path = resolve(root, ...segments);
  const inside = relative(root, path);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return rejected(403, 'path leaves the renderer folder');
  }
  return { kind: 'file', path, mimeType: mimeTypeFor(path) };
}
