import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, type AnyEngineEvent, type EngineLink, type Webhook, type WebhookDelivery } from '../bridge';

export interface WebhooksState {
  repo: string | null;
  webhooks: readonly Webhook[];
  /** The webhook whose deliveries are shown. */
  selected: string | null;
  deliveries: readonly WebhookDelivery[];
  loading: boolean;
  /** Set after a ping: the event id the engine will deliver. */
  pinged: string | undefined;
  problem: string | undefined;
  load(repo: string | null): Promise<void>;
  select(id: string | null): Promise<void>;
  ping(id: string): Promise<void>;
  /** Deliveries change on webhook.* events and on any event a webhook listens to: read them again. */
  handle(event: AnyEngineEvent): void;
}

export type WebhooksStore = StoreApi<WebhooksState>;

/** A delivery's attempts settle a moment after the event that caused it. */
const SETTLE_MS = 1500;

export function createWebhooksStore(link: EngineLink, delay = SETTLE_MS): WebhooksStore {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return createStore<WebhooksState>()((set, get) => {
    const fail = (what: string, err: unknown) => set({ problem: `Could not ${what}: ${describeFailure(err)}` });
    const readDeliveries = async (repo: string, id: string) => {
      try {
        const { deliveries } = await link.invoke('webhooks.deliveries', { repo, id });
        if (get().repo === repo && get().selected === id) set({ deliveries, problem: undefined });
      } catch (err) {
        fail('read the deliveries', err);
      }
    };

    return {
      repo: null,
      webhooks: [],
      selected: null,
      deliveries: [],
      loading: false,
      pinged: undefined,
      problem: undefined,

      async load(repo) {
        const sameRepo = repo === get().repo;
        set({ repo, loading: repo !== null, ...(sameRepo ? {} : { webhooks: [], selected: null, deliveries: [] }) });
        if (!repo) return;
        try {
          const { webhooks } = await link.invoke('webhooks.list', { repo });
          if (get().repo !== repo) return;
          const selected = webhooks.some((w) => w.id === get().selected) ? get().selected : (webhooks[0]?.id ?? null);
          set({ webhooks, loading: false, problem: undefined });
          await get().select(selected);
        } catch (err) {
          set({ loading: false });
          fail(`list the webhooks of ${repo}`, err);
        }
      },

      async select(id) {
        set({ selected: id, ...(id === get().selected ? {} : { deliveries: [], pinged: undefined }) });
        const repo = get().repo;
        if (repo && id) await readDeliveries(repo, id);
      },

      async ping(id) {
        const repo = get().repo;
        if (!repo) return;
        try {
          const { event_id } = await link.invoke('webhooks.ping', { repo, id });
          set({ pinged: event_id, problem: undefined });
          await get().select(id);
        } catch (err) {
          fail('ping the webhook', err);
        }
      },

      handle(event) {
        const { repo, selected } = get();
        if (!repo || !selected || event.repo !== repo) return;
        // Coalesce: a burst of events re-reads the deliveries once, after the first attempts are made.
        clearTimeout(timer);
        timer = setTimeout(() => void readDeliveries(repo, selected), delay);
      },
    };
  });
}
