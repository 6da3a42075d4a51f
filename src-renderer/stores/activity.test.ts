import { describe, expect, it } from 'vitest';
import type { AnyEngineEvent } from '../bridge';
import { createActivityStore } from './activity';

const event = (seq: number): AnyEngineEvent => ({
  id: String(seq),
  seq,
  type: 'system.echo',
  time: new Date(seq * 1000).toISOString(),
  actor: 'admin',
  data: { message: `m${seq}` },
});

describe('activity store', () => {
  it('lists events newest first and keeps only the latest `limit`', () => {
    const store = createActivityStore(3);
    for (const seq of [1, 2, 3, 4]) store.getState().record(event(seq));
    expect(store.getState().events.map((e) => e.seq)).toEqual([4, 3, 2]);
  });

  it('clears the feed', () => {
    const store = createActivityStore();
    store.getState().record(event(1));
    store.getState().clear();
    expect(store.getState().events).toEqual([]);
  });
});
