import { z } from 'zod';
import { defineRequest } from './define';

const Webhook = z.object({
  id: z.string(),
  repo: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  created_at: z.string(),
});

const Attempt = z.object({
  time: z.string(),
  status: z.number().optional(),
  error: z.string().optional(),
  duration_ms: z.number(),
});

const Delivery = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(Attempt),
});

const Params = { repo: z.string().min(1), id: z.string().min(1) };

export const webhookRequests = {
  'webhooks.create': defineRequest({
    summary:
      'Adds an outgoing webhook to a repository. Deliveries are POSTed as JSON and signed with HMAC-SHA256 of the body in X-Govc-Signature-256. The secret is returned only here.',
    input: z.object({
      repo: z.string().min(1),
      url: z
        .string()
        .url()
        .refine((u) => /^https?:\/\//i.test(u), 'expected an http or https URL'),
      events: z
        .array(z.string().regex(/^[a-z*][a-z.*]*$/, 'expected an event type such as repo.commit or build.*'))
        .min(1),
      secret: z.string().min(16).max(256).optional(),
      active: z.boolean().default(true),
    }),
    output: Webhook.extend({ secret: z.string() }),
    http: { method: 'POST', path: '/repos/{repo}/webhooks', status: 201 },
    permission: 'repo:admin',
  }),
  'webhooks.list': defineRequest({
    summary: "Lists a repository's webhooks (never their secrets).",
    input: z.object({ repo: z.string().min(1) }),
    output: z.object({ webhooks: z.array(Webhook), count: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/webhooks' },
    permission: 'repo:admin',
  }),
  'webhooks.delete': defineRequest({
    summary: 'Removes a webhook; pending retries stop.',
    input: z.object(Params),
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
    http: { method: 'DELETE', path: '/repos/{repo}/webhooks/{id}' },
    permission: 'repo:admin',
  }),
  'webhooks.deliveries': defineRequest({
    summary: "A webhook's recent deliveries with every attempt, newest first.",
    input: z.object(Params),
    output: z.object({ deliveries: z.array(Delivery), count: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/webhooks/{id}/deliveries' },
    permission: 'repo:admin',
  }),
  'webhooks.ping': defineRequest({
    summary: 'Sends a webhook.ping event to one webhook, to check the receiver.',
    input: z.object(Params),
    output: z.object({ event_id: z.string() }),
    http: { method: 'POST', path: '/repos/{repo}/webhooks/{id}/ping', status: 202 },
    permission: 'repo:admin',
  }),
};

export const webhookEvents = {
  'webhook.ping': z.object({ webhook: z.string() }),
  'webhook.delivery.failed': z.object({
    webhook: z.string(),
    event_id: z.string(),
    attempts: z.number(),
    error: z.string(),
  }),
};
