/**
 * Outgoing webhooks per repository. Each webhook has its own subscription to the bus, so a slow or dead
 * receiver delays only its own deliveries (in order, one at a time) and is cut off by the bus's queue
 * bound rather than growing memory. A delivery is retried with exponential backoff on a network error or
 * a non-2xx answer; every attempt is kept in a bounded delivery log.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AnyEngineEvent } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import type { EventBus, Subscription } from '../events/bus';
import { writeFileAtomic } from '../fs/atomic';
import { SIGNATURE_HEADER, signBody } from './sign';

const WebhookRecord = z.object({
  id: z.string(),
  repo: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  secret: z.string(),
  active: z.boolean(),
  created_at: z.string(),
});
type WebhookRecord = z.infer<typeof WebhookRecord>;
export type WebhookInfo = Omit<WebhookRecord, 'secret'>;

export interface DeliveryAttempt {
  time: string;
  status?: number;
  error?: string;
  duration_ms: number;
}

export interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
}

export interface WebhookOptions {
  dataDir?: string;
  bus: EventBus;
  logger: Logger;
  version: string;
  /** Waits before each retry; the number of entries is the number of retries. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  /** Events a webhook may fall behind by before it is cut off (and resubscribed). */
  maxQueue?: number;
}

const DELIVERY_LOG_SIZE = 100;

interface Live {
  record: WebhookRecord;
  subscription: Subscription;
  deliveries: Delivery[];
  stopped: boolean;
}

/** `repo.commit` matches itself, `build.*` a family, `*` everything. */
export function eventMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

export class WebhookService {
  private readonly hooks = new Map<string, Live>();
  private readonly file: string | undefined;
  private readonly retryDelays: readonly number[];

  constructor(private readonly options: WebhookOptions) {
    this.file = options.dataDir === undefined ? undefined : join(options.dataDir, 'webhooks.json');
    this.retryDelays = options.retryDelaysMs ?? [1_000, 2_000, 4_000, 8_000, 16_000];
    if (this.file !== undefined && existsSync(this.file)) {
      const records = z.array(WebhookRecord).parse(JSON.parse(readFileSync(this.file, 'utf8')));
      for (const record of records) this.start(record);
    }
  }

  create(input: {
    repo: string;
    url: string;
    events: string[];
    secret?: string;
    active: boolean;
  }): WebhookInfo & { secret: string } {
    const record: WebhookRecord = {
      id: `wh_${randomBytes(6).toString('hex')}`,
      repo: input.repo,
      url: input.url,
      events: input.events,
      secret: input.secret ?? randomBytes(24).toString('base64url'),
      active: input.active,
      created_at: new Date().toISOString(),
    };
    this.start(record);
    this.save();
    return { ...describe(record), secret: record.secret };
  }

  list(repo: string): WebhookInfo[] {
    return [...this.hooks.values()].filter((h) => h.record.repo === repo).map((h) => describe(h.record));
  }

  delete(repo: string, id: string): void {
    const live = this.require(repo, id);
    live.stopped = true;
    live.subscription.dispose();
    this.hooks.delete(id);
    this.save();
  }

  deliveries(repo: string, id: string): Delivery[] {
    return [...this.require(repo, id).deliveries].reverse();
  }

  /** Delivers a `webhook.ping` event to this webhook only. */
  async ping(repo: string, id: string): Promise<string> {
    const live = this.require(repo, id);
    const event = {
      id: `ping-${randomBytes(4).toString('hex')}`,
      seq: 0,
      type: 'webhook.ping',
      repo,
      time: new Date().toISOString(),
      actor: 'system',
      data: { webhook: id },
    } as AnyEngineEvent;
    void this.deliver(live, event);
    return event.id;
  }

  close(): void {
    for (const live of this.hooks.values()) {
      live.stopped = true;
      live.subscription.dispose();
    }
  }

  private require(repo: string, id: string): Live {
    const live = this.hooks.get(id);
    if (!live || live.record.repo !== repo)
      throw new GovcError('NOT_FOUND', `No webhook ${id} on repository ${repo}`, { webhook: id });
    return live;
  }

  private save(): void {
    if (this.file === undefined) return;
    // The secrets must stay usable for signing, so this file is the one place they live: owner-only.
    writeFileAtomic(
      this.file,
      JSON.stringify(
        [...this.hooks.values()].map((h) => h.record),
        null,
        2,
      ),
      0o600,
    );
  }

  private start(record: WebhookRecord): void {
    const live: Live = { record, deliveries: [], stopped: false, subscription: undefined as unknown as Subscription };
    const subscribe = (): Subscription =>
      this.options.bus.subscribe((event) => (record.active ? this.deliver(live, event) : undefined), {
        repo: record.repo,
        // Webhooks' own events never go out through webhooks: a failing receiver would feed itself forever.
        filter: (event) => !event.type.startsWith('webhook.') && eventMatches(record.events, event.type),
        maxQueue: this.options.maxQueue ?? 1_000,
        onDropped: (reason) => {
          this.options.logger.warn({ webhook: record.id, reason }, 'webhook fell behind; events were skipped');
          if (!live.stopped) live.subscription = subscribe();
        },
      });
    live.subscription = subscribe();
    this.hooks.set(record.id, live);
  }

  private async deliver(live: Live, event: AnyEngineEvent): Promise<void> {
    const body = JSON.stringify(event);
    const delivery: Delivery = {
      id: `dlv_${randomBytes(6).toString('hex')}`,
      event_id: event.id,
      event_type: event.type,
      state: 'pending',
      attempts: [],
    };
    live.deliveries.push(delivery);
    if (live.deliveries.length > DELIVERY_LOG_SIZE) live.deliveries.shift();
    for (let attempt = 0; attempt <= this.retryDelays.length && !live.stopped; attempt++) {
      if (attempt > 0) await sleep(this.retryDelays[attempt - 1]!);
      if (live.stopped) break;
      const result = await this.post(live.record, delivery.id, event.type, body);
      delivery.attempts.push(result);
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        delivery.state = 'delivered';
        return;
      }
    }
    delivery.state = 'failed';
    const last = delivery.attempts.at(-1);
    const error = last?.error ?? `HTTP ${last?.status ?? '?'}`;
    this.options.bus.emit(
      'webhook.delivery.failed',
      { webhook: live.record.id, event_id: event.id, attempts: delivery.attempts.length, error },
      { repo: live.record.repo },
    );
  }

  private async post(record: WebhookRecord, deliveryId: string, type: string, body: string): Promise<DeliveryAttempt> {
    const started = performance.now();
    const time = new Date().toISOString();
    try {
      const res = await fetch(record.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `govc-webhooks/${this.options.version}`,
          'x-govc-event': type,
          'x-govc-delivery': deliveryId,
          [SIGNATURE_HEADER]: signBody(record.secret, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return { time, status: res.status, duration_ms: Math.round(performance.now() - started) };
    } catch (err) {
      const message = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      return { time, error: message, duration_ms: Math.round(performance.now() - started) };
    }
  }
}

function describe(record: WebhookRecord): WebhookInfo {
  const { secret: _secret, ...info } = record;
  return info;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
