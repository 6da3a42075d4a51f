import { describe, expect, it } from 'vitest';
import { EventBus } from './bus';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('EventBus', () => {
  it('numbers events in order and delivers them asynchronously, filtered by type and repository', async () => {
    const bus = new EventBus();
    const all: string[] = [];
    const echoes: string[] = [];
    bus.subscribe((e) => void all.push(`${e.seq}:${e.type}`));
    bus.subscribe((e) => void echoes.push(e.type), { types: ['system.echo'] });
    bus.emit('system.started', { version: '1', mode: 'headless' });
    bus.emit('system.echo', { message: 'a' }, { repo: 'r1', actor: 'tester' });
    expect(all).toEqual([]); // emit never runs a subscriber inline
    await tick();
    expect(all).toEqual(['1:system.started', '2:system.echo']);
    expect(echoes).toEqual(['system.echo']);
    const [, second] = bus.since(0);
    expect(second).toMatchObject({ repo: 'r1', actor: 'tester', data: { message: 'a' } });
  });

  it('replays history after a sequence number and keeps history bounded', async () => {
    const bus = new EventBus({ historySize: 5 });
    for (let i = 0; i < 8; i++) bus.emit('system.echo', { message: String(i) });
    expect(bus.since(0).map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
    const seen: number[] = [];
    bus.subscribe((e) => void seen.push(e.seq), { afterSeq: 6 });
    await tick();
    expect(seen).toEqual([7, 8]);
  });

  it('drops a subscriber that falls behind, tells it why, and keeps serving the others', async () => {
    const bus = new EventBus();
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let dropReason = '';
    const slow = bus.subscribe(() => blocked, { maxQueue: 10, onDropped: (reason) => (dropReason = reason) });
    let fastCount = 0;
    bus.subscribe(() => void fastCount++);
    for (let i = 0; i < 100; i++) bus.emit('system.echo', { message: String(i) });
    await tick();
    expect(slow.dropped).toBe(true);
    expect(dropReason).toMatch(/behind/);
    expect(fastCount).toBe(100);
    expect(bus.subscriberCount).toBe(1);
    release();
  });

  it('survives a throwing subscriber', async () => {
    const bus = new EventBus();
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((e) => void seen.push(e.seq));
    bus.emit('system.echo', { message: 'x' });
    bus.emit('system.echo', { message: 'y' });
    await tick();
    expect(seen).toEqual([1, 2]);
  });

  it('stops delivering after dispose', async () => {
    const bus = new EventBus();
    const seen: number[] = [];
    const sub = bus.subscribe((e) => void seen.push(e.seq));
    bus.emit('system.echo', { message: 'x' });
    sub.dispose();
    bus.emit('system.echo', { message: 'y' });
    await tick();
    expect(seen).toEqual([]);
    expect(bus.subscriberCount).toBe(0);
  });
});
