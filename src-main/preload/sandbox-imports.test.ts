import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * A sandboxed preload can require only electron and a few Node shims; a runtime import of anything else
 * (the contract pulls in zod) leaves `window.govc` undefined with only a console error to show for it.
 */
describe('the preload', () => {
  it('imports only electron at runtime; everything else is `import type`', () => {
    const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)];
    expect(imports.length).toBeGreaterThan(0);
    const runtime = imports.filter((m) => m[1] === undefined).map((m) => m[2]);
    expect(runtime).toEqual(['electron']);
  });
});
