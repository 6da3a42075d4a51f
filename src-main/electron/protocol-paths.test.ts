import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, mimeTypeFor, resolveAppAsset } from './protocol-paths';

const root = resolve('/srv/govc/out/renderer');
const get = (url: string) => resolveAppAsset(root, { method: 'GET', url });

describe('resolveAppAsset', () => {
  it('serves index.html for the entry URL and for extension-less routes', () => {
    expect(get(APP_ENTRY_URL)).toEqual({
      kind: 'file',
      path: join(root, 'index.html'),
      mimeType: 'text/html; charset=utf-8',
    });
    expect(get('app://govc/repos/demo')).toMatchObject({ kind: 'file', path: join(root, 'index.html') });
    expect(get('app://govc/?x=1#y')).toMatchObject({ kind: 'file', path: join(root, 'index.html') });
  });

  it('maps asset paths inside the folder, decoding percent-escapes', () => {
    expect(get('app://govc/assets/index-abc.js')).toEqual({
      kind: 'file',
      path: join(root, 'assets', 'index-abc.js'),
      mimeType: 'text/javascript; charset=utf-8',
    });
    expect(get('app://govc/assets/a%20b.css')).toMatchObject({ path: join(root, 'assets', 'a b.css') });
  });

  it.each([
    ['app://govc/../../etc/passwd.txt', 'etc/passwd.txt'],
    ['app://govc/assets/%2e%2e/%2e%2e/etc/passwd.txt', 'etc/passwd.txt'],
    ['app://govc/%2E%2E/secret.json', 'secret.json'],
  ])('keeps dot segments folded by URL parsing inside the folder: %s', (url, inside) => {
    expect(get(url)).toMatchObject({ kind: 'file', path: join(root, inside) });
  });

  it.each([
    'app://govc/assets/..%2f..%2fetc%2fpasswd.txt',
    'app://govc/..%5c..%5cwindows%5cwin.ini',
    'app://govc/C:%5cwindows%5cwin.ini',
    'app://govc/index.html%00.png',
    'app://govc/index.html::$DATA.js',
  ])('refuses encoded separators, NUL and colons: %s', (url) => {
    expect(get(url)).toMatchObject({ kind: 'rejected', status: 403 });
  });

  it('decodes once, so a double-encoded dot segment stays a literal name', () => {
    expect(resolveAppAsset(root, { method: 'GET', url: 'app://govc/a/%252e%252e/b.js' })).toMatchObject({
      kind: 'file',
      path: join(root, 'a', '%2e%2e', 'b.js'),
    });
  });

  it('rejects malformed escapes, other hosts and schemes, and non-GET methods', () => {
    expect(get('app://govc/%E0%A4%A.js')).toMatchObject({ kind: 'rejected', status: 400 });
    expect(get('app://evil/index.html')).toMatchObject({ kind: 'rejected', status: 404 });
    expect(get('file:///etc/passwd')).toMatchObject({ kind: 'rejected', status: 404 });
    expect(get('not a url')).toMatchObject({ kind: 'rejected', status: 400 });
    expect(resolveAppAsset(root, { method: 'POST', url: APP_ENTRY_URL })).toMatchObject({ status: 405 });
    expect(resolveAppAsset(root, { method: 'HEAD', url: APP_ENTRY_URL })).toMatchObject({ kind: 'file' });
  });
});

describe('mimeTypeFor', () => {
  it('knows what the renderer build emits and falls back to opaque bytes', () => {
    expect(mimeTypeFor('a/b/c.WOFF2')).toBe('font/woff2');
    expect(mimeTypeFor('x.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('x.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('Makefile')).toBe('application/octet-stream');
  });
});
