/**
 * Compose key help over real HTTP, as the renderer asks for it: unsaved text in, keys or a description out;
 * no help for other files, a caller without a token refused, oversized text refused before it is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEFINITION_BYTES } from '../../src-shared/contract';
import { startTestServer, type TestServer } from '../testing/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const text = 'services:\n  web:\n    image: nginx\n    ';

describe('POST /containers/help/complete and /hover', () => {
  it('completes service keys in a compose file and describes the key under the cursor', async () => {
    const complete = await server.call('POST', '/containers/help/complete', {
      path: 'deploy/compose.yaml',
      content: text,
      line: 4,
      column: 5,
    });
    expect(complete.status).toBe(200);
    const items = complete.json.items as { label: string; description: string | null }[];
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['build', 'ports', 'environment']));
    expect(items.map((i) => i.label)).not.toContain('image');
    expect(items.find((i) => i.label === 'ports')?.description).toMatch(/Expose container ports/);

    const hover = await server.call('POST', '/containers/help/hover', {
      path: 'compose.yaml',
      content: text,
      line: 3,
      column: 7,
    });
    expect(hover.status).toBe(200);
    expect(hover.json.hover).toMatchObject({ key: 'image', path: 'services.web.image' });
  });

  it('no help for a file that is not a compose file', async () => {
    const body = { path: 'k8s/values.yaml', content: text, line: 4, column: 5 };
    expect((await server.call('POST', '/containers/help/complete', body)).json).toEqual({ items: [], range: null });
    expect((await server.call('POST', '/containers/help/hover', { ...body, line: 3 })).json).toEqual({ hover: null });
  });

  it('refuses a caller without a token, a position before the text, and text over the definition limit', async () => {
    const body = { path: 'compose.yaml', content: text, line: 1, column: 1 };
    expect((await server.call('POST', '/containers/help/complete', body, '')).status).toBe(401);
    const zero = await server.call('POST', '/containers/help/complete', { ...body, line: 0 });
    expect(zero).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_FAILED' } } });
    // Over the limit, the body is over the server's 1 MiB body limit too: refused before it is parsed.
    const big = { ...body, content: 'x'.repeat(MAX_DEFINITION_BYTES + 1) };
    expect((await server.call('POST', '/containers/help/hover', big)).status).toBe(413);
  });
});
