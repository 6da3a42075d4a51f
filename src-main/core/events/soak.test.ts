/**
 * Soak: 100,000 events through 20 subscribers, one of them deliberately slow. The fast ones see every
 * event in order, the slow one is dropped with a notice, the emitter never waits, and memory stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from './bus';

describe('event bus soak', () => {
  it('carries 100,000 events to 19 fast subscribers while dropping a slow one, with bounded memory', async () => {
    const bus = new EventBus({ historySize: 10_000, defaultMaxQueue: 10_000 });
    const counts = new Array<number>(19).fill(0);
    const lastSeq = new Array<number>(19).fill(0);
    let outOfOrder = 0;
    for (let i = 0; i < 19; i++) {
      bus.subscribe((e) => {
        if (e.seq <= lastSeq[i]!) outOfOrder++;
        lastSeq[i] = e.seq;
        counts[i]! += 1;
      });
    }
    let slowSeen = 0;
    let dropped = '';
    bus.subscribe(
      async () => {
        slowSeen++;
        await new Promise((r) => setTimeout(r, 5));
      },
      { maxQueue: 1_000, onDropped: (reason) => (dropped = reason) },
    );

    if (global.gc) global.gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const started = performance.now();
    for (let batch = 0; batch < 100; batch++) {
      for (let i = 0; i < 1_000; i++) bus.emit('system.echo', { message: `event ${batch * 1_000 + i}` });
      // Let subscribers drain between batches, as the engine's event loop would.
      await new Promise((r) => setImmediate(r));
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    await new Promise((r) => setTimeout(r, 20));
    const elapsed = performance.now() - started;

    expect(counts.every((c) => c === 100_000)).toBe(true);
    expect(outOfOrder).toBe(0);
    expect(dropped).toMatch(/behind/);
    expect(slowSeen).toBeLessThan(100);
    expect(bus.subscriberCount).toBe(19);
    expect(bus.since(0)).toHaveLength(10_000);
    // History is capped at 10,000 events and queues at their bounds: growth stays far below what keeping
    // 100,000 events per subscriber would take (hundreds of MiB).
    expect(peakHeap - heapBefore).toBeLessThan(150 * 1024 * 1024);
    expect(elapsed).toBeLessThan(30_000);
  });
});
