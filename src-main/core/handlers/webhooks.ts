import type { Engine } from '../engine';
import type { Handlers } from './dispatch';

type WebhookRequests =
  'webhooks.create' | 'webhooks.list' | 'webhooks.delete' | 'webhooks.deliveries' | 'webhooks.ping';

export function webhookHandlers(engine: Engine): Pick<Handlers, WebhookRequests> {
  const hooks = engine.webhooks;
  return {
    'webhooks.create': (input) => hooks.create(input),
    'webhooks.list': ({ repo }) => {
      const webhooks = hooks.list(repo);
      return { webhooks, count: webhooks.length };
    },
    'webhooks.delete': ({ repo, id }) => {
      hooks.delete(repo, id);
      return { id, deleted: true as const };
    },
    'webhooks.deliveries': ({ repo, id }) => {
      const deliveries = hooks.deliveries(repo, id);
      return { deliveries, count: deliveries.length };
    },
    'webhooks.ping': async ({ repo, id }) => ({ event_id: await hooks.ping(repo, id) }),
  };
}
