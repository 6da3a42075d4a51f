import pino from 'pino';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requests } from '../../../src-shared/contract';
import { type GovcError } from '../../../src-shared/errors';
import { LOCAL_OWNER } from '../auth/roles';
import { createEngine } from '../engine';
import { dispatch } from './dispatch';

function engine() {
  return createEngine({
    dataDir: mkdtempSync(join(tmpdir(), 'govc-dispatch-')),
    mode: 'desktop',
    logger: pino({ level: 'silent' }),
  });
}

describe('dispatch', () => {
  it('has one handler for every request of the contract', () => {
    const e = engine();
    expect(Object.keys(e.handlers).sort()).toEqual(Object.keys(requests).sort());
  });

  it('runs a handler with validated input', async () => {
    const e = engine();
    const out = await dispatch(e.handlers, 'system.echo', { message: 'hi' }, { principal: LOCAL_OWNER, via: 'ipc' });
    expect(out).toMatchObject({ message: 'hi' });
  });

  it('refuses unknown requests, bad input and missing permissions with stable codes', async () => {
    const e = engine();
    const ctx = { principal: LOCAL_OWNER, via: 'ipc' as const };
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (err: GovcError) => err.code,
      );
    expect(await codeOf(dispatch(e.handlers, 'no.such', {}, ctx))).toBe('UNKNOWN_REQUEST');
    expect(await codeOf(dispatch(e.handlers, 'system.echo', { message: 42 }, ctx))).toBe('VALIDATION_FAILED');
    const guest = { principal: { id: 'g', name: 'guest', role: 'guest' as const }, via: 'http' as const };
    expect(await codeOf(dispatch(e.handlers, 'system.info', {}, guest))).toBe('FORBIDDEN');
  });

  it('names the invalid field in the message and details', async () => {
    const e = engine();
    const err = (await dispatch(e.handlers, 'system.echo', {}, { principal: LOCAL_OWNER, via: 'ipc' }).catch(
      (x) => x,
    )) as GovcError;
    expect(err.message).toMatch(/^Invalid message:/);
    expect(err.details).toMatchObject({ issues: [{ path: 'message' }] });
  });
});
