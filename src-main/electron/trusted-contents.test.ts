import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TrustedContents } from './trusted-contents';

class FakeContents extends EventEmitter {
  destroyed = false;
  sent: Array<[string, unknown]> = [];
  constructor(readonly id: number) {
    super();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

describe('TrustedContents', () => {
  it('trusts what was added until it is destroyed', () => {
    const trusted = new TrustedContents<FakeContents>();
    const window = new FakeContents(3);
    trusted.add(window);
    expect(trusted.has(3)).toBe(true);
    expect(trusted.has(4)).toBe(false);
    window.destroy();
    expect(trusted.has(3)).toBe(false);
  });

  it('broadcasts only to live trusted contents', () => {
    const trusted = new TrustedContents<FakeContents>();
    const a = new FakeContents(1);
    const b = new FakeContents(2);
    trusted.add(a);
    trusted.add(b);
    b.destroyed = true; // destroyed, its event not yet delivered
    trusted.broadcast('govc:event', { seq: 1 });
    expect(a.sent).toEqual([['govc:event', { seq: 1 }]]);
    expect(b.sent).toEqual([]);
  });
});
