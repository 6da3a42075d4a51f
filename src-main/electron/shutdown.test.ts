import { describe, expect, it } from 'vitest';
import { Shutdown } from './shutdown';

describe('Shutdown', () => {
  it('runs steps once, last registered first, with the reason', async () => {
    const calls: string[] = [];
    const shutdown = new Shutdown();
    shutdown.add({ name: 'engine', run: (reason) => void calls.push(`engine:${reason}`) });
    shutdown.add({ name: 'api', run: async (reason) => void calls.push(`api:${reason}`) });
    const [a, b] = await Promise.all([shutdown.run('SIGTERM'), shutdown.run('quit')]);
    expect(a && b).toBe(true);
    expect(calls).toEqual(['api:SIGTERM', 'engine:SIGTERM']);
    expect(await shutdown.run('again')).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('reports a failing or hanging step and still runs the rest', async () => {
    const failed: string[] = [];
    const ran: string[] = [];
    const shutdown = new Shutdown({ stepTimeoutMs: 50, onStepFailed: (name) => failed.push(name) });
    shutdown.add({ name: 'logger', run: () => void ran.push('logger') });
    shutdown.add({ name: 'hangs', run: () => new Promise<void>(() => {}) });
    shutdown.add({
      name: 'throws',
      run: () => {
        throw new Error('boom');
      },
    });
    expect(await shutdown.run('quit')).toBe(false);
    expect(failed).toEqual(['throws', 'hangs']);
    expect(ran).toEqual(['logger']);
  });

  it('refuses new steps once it has started', async () => {
    const shutdown = new Shutdown();
    expect(shutdown.started).toBe(false);
    void shutdown.run('quit');
    expect(shutdown.started).toBe(true);
    expect(() => shutdown.add({ name: 'late', run: () => undefined })).toThrow(/has started/);
  });
});
