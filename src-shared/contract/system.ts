import { z } from 'zod';
import { defineRequest } from './define';

export const SystemInfo = z.object({
  name: z.literal('govc Studio'),
  version: z.string(),
  mode: z.enum(['desktop', 'headless']),
  platform: z.string(),
  node: z.string(),
  dataDir: z.string(),
  startedAt: z.string(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const systemRequests = {
  'system.info': defineRequest({
    summary: 'What engine this is: version, mode, platform and data folder.',
    input: z.object({}),
    output: SystemInfo,
    http: { method: 'GET', path: '/system/info' },
    permission: 'repo:read',
  }),
  'system.echo': defineRequest({
    summary: 'Returns the message it was given and emits a system.echo event: a round trip through the contract.',
    input: z.object({ message: z.string().min(1).max(10_000) }),
    output: z.object({ message: z.string(), receivedAt: z.string() }),
    http: { method: 'POST', path: '/system/echo' },
    permission: 'repo:read',
  }),
};

export const systemEvents = {
  'system.started': z.object({ version: z.string(), mode: z.enum(['desktop', 'headless']) }),
  'system.echo': z.object({ message: z.string() }),
  'system.stopping': z.object({ reason: z.string() }),
};
