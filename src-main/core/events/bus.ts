/**
 * The engine's event bus. Emitting never waits for subscribers: each subscriber has its own bounded queue,
 * drained asynchronously; a subscriber whose queue overflows is dropped and told why. A bounded history
 * lets a client that reconnects resume after the last event it saw.
 */
import { randomUUID } from 'node:crypto';
import type { AnyEngineEvent, EngineEvent, EventData, EventType } from '../../../src-shared/contract';

export interface SubscribeOptions {
  /** Only these event types (all when empty or absent). */
  types?: readonly string[];
  /** Only events of this repository. */
  repo?: string;
  /** Only events this predicate accepts (e.g. the repositories a caller may read). */
  filter?: (event: AnyEngineEvent) => boolean;
  /** Replays history after this sequence number before live events. */
  afterSeq?: number;
  /** Queue bound before the subscriber is dropped. */
  maxQueue?: number;
  /** Called once if the subscriber is dropped for falling behind. */
  onDropped?: (reason: string) => void;
}

export type EventListener = (event: AnyEngineEvent) => void | Promise<void>;

export interface Subscription {
  dispose(): void;
  readonly dropped: boolean;
}

export interface EmitOptions {
  repo?: string;
  actor?: string;
}

interface Subscriber {
  listener: EventListener;
  options: SubscribeOptions;
  queue: AnyEngineEvent[];
  draining: boolean;
  dropped: boolean;
  disposed: boolean;
}

export interface EventBusOptions {
  historySize?: number;
  defaultMaxQueue?: number;
  now?: () => Date;
}

export class EventBus {
  private seq = 0;
  private readonly history: AnyEngineEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly historySize: number;
  private readonly defaultMaxQueue: number;
  private readonly now: () => Date;
  /** The instance id: sequence numbers are only comparable within one engine run. */
  readonly runId = randomUUID();

  constructor(options: EventBusOptions = {}) {
    this.historySize = options.historySize ?? 10_000;
    this.defaultMaxQueue = options.defaultMaxQueue ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get lastSeq(): number {
    return this.seq;
  }

  emit<T extends EventType>(type: T, data: EventData<T>, options: EmitOptions = {}): EngineEvent<T> {
    this.seq += 1;
    const event = {
      id: String(this.seq),
      seq: this.seq,
      type,
      ...(options.repo === undefined ? {} : { repo: options.repo }),
      time: this.now().toISOString(),
      actor: options.actor ?? 'system',
      data,
    } as EngineEvent<T>;
    this.history.push(event as AnyEngineEvent);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    for (const sub of this.subscribers) this.enqueue(sub, event as AnyEngineEvent);
    return event;
  }

  /** Events after `seq` still in history, oldest first. */
  since(seq: number): AnyEngineEvent[] {
    const first = this.history.findIndex((e) => e.seq > seq);
    return first < 0 ? [] : this.history.slice(first);
  }

  subscribe(listener: EventListener, options: SubscribeOptions = {}): Subscription {
    const sub: Subscriber = { listener, options, queue: [], draining: false, dropped: false, disposed: false };
    this.subscribers.add(sub);
    if (options.afterSeq !== undefined) for (const e of this.since(options.afterSeq)) this.enqueue(sub, e);
    return {
      dispose: () => {
        sub.disposed = true;
        sub.queue.length = 0;
        this.subscribers.delete(sub);
      },
      get dropped() {
        return sub.dropped;
      },
    };
  }

  private matches(sub: Subscriber, event: AnyEngineEvent): boolean {
    const { types, repo } = sub.options;
    if (types && types.length > 0 && !types.includes(event.type)) return false;
    if (repo !== undefined && event.repo !== repo) return false;
    return sub.options.filter === undefined || sub.options.filter(event);
  }

  private enqueue(sub: Subscriber, event: AnyEngineEvent): void {
    if (sub.disposed || !this.matches(sub, event)) return;
    const max = sub.options.maxQueue ?? this.defaultMaxQueue;
    if (sub.queue.length >= max) {
      this.drop(sub, `fell more than ${max} events behind`);
      return;
    }
    sub.queue.push(event);
    if (!sub.draining) {
      sub.draining = true;
      queueMicrotask(() => void this.drain(sub));
    }
  }

  private drop(sub: Subscriber, reason: string): void {
    sub.dropped = true;
    sub.disposed = true;
    sub.queue.length = 0;
    this.subscribers.delete(sub);
    try {
      sub.options.onDropped?.(reason);
    } catch {
      // A failing drop handler must not break the emitter.
    }
  }

  private async drain(sub: Subscriber): Promise<void> {
    while (!sub.disposed && sub.queue.length > 0) {
      const event = sub.queue.shift()!;
      try {
        const pending = sub.listener(event);
        if (pending) await pending;
      } catch {
        // A throwing subscriber loses that event, not its subscription, and never affects others.
      }
    }
    sub.draining = false;
  }
}
