import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_OWNER } from '../core/auth/roles';
import { createEngine } from '../core/engine';
import { invokeEnvelope, refusedEnvelope } from './invoke-envelope';

describe('invokeEnvelope', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'govc-ipc-'));
  const engine = createEngine({ dataDir, mode: 'desktop', logger: pino({ level: 'silent' }) });
  const run = (name: string, input: unknown) => engine.call(name, input, { principal: LOCAL_OWNER, via: 'ipc' });
  afterAll(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('wraps a handler result in an ok envelope', async () => {
    const result = await invokeEnvelope({ name: 'system.echo', input: { message: 'hi' } }, run);
    expect(result).toMatchObject({ ok: true, value: { message: 'hi' } });
  });

  it('turns dispatch errors into their codes', async () => {
    expect(await invokeEnvelope({ name: 'nope', input: {} }, run)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_REQUEST' },
    });
    expect(await invokeEnvelope({ name: 'system.echo', input: { message: '' } }, run)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it.each([undefined, null, 'system.echo', { name: 42 }, { name: '' }, { name: 'x'.repeat(201) }])(
    'refuses a malformed message: %j',
    async (message) => {
      expect(await invokeEnvelope(message, run)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    },
  );

  it('never rejects, whatever the runner throws', async () => {
    const result = await invokeEnvelope({ name: 'x', input: {} }, () => Promise.reject(new Error('boom')));
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    const thrownString = await invokeEnvelope({ name: 'x', input: {} }, () => {
      throw 'plain string';
    });
    expect(thrownString).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('explains a refused sender with FORBIDDEN', () => {
    expect(refusedEnvelope('the sender is a sub-frame')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('sub-frame') },
    });
  });
});
