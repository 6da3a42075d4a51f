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

/**
 * The optional REST API of the desktop app (a main-process setting, `<data>/settings.json`). In headless
 * mode the API server is what serves the page asking, so it is reported but cannot be changed.
 */
export const ApiServerStatus = z.object({
  /** False in headless mode: `govc serve` is the API server. */
  changeable: z.boolean(),
  enabled: z.boolean(),
  /** The port it is set to use; 0 picks a free one. Null in headless mode (the page's own address applies). */
  port: z.number().int().min(0).max(65535).nullable(),
  /** Where it listens now, when it runs. */
  url: z.string().nullable(),
  /** Where local scripts find its admin token while it runs. */
  token_file: z.string().nullable(),
  /** Why it is not running although enabled (e.g. the port is taken). */
  problem: z.string().nullable(),
});
export type ApiServerStatus = z.infer<typeof ApiServerStatus>;

export const EngineSettings = z.object({
  /** Whether a new repository is kept on disk when its request does not say (`repos.create` without persist). */
  persist_default: z.boolean(),
  api_server: ApiServerStatus,
});
export type EngineSettings = z.infer<typeof EngineSettings>;

export const EngineSettingsChange = z
  .object({
    persist_default: z.boolean().optional(),
    api_server: z
      .object({ enabled: z.boolean().optional(), port: z.number().int().min(0).max(65535).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const systemRequests = {
  'system.info': defineRequest({
    summary: 'What engine this is: version, mode, platform and data folder.',
    input: z.object({}),
    output: SystemInfo,
    http: { method: 'GET', path: '/system/info' },
    permission: 'repo:read',
  }),
  'system.settings.get': defineRequest({
    summary: "The engine's settings: the persistence default for new repositories and the API server's state.",
    input: z.object({}),
    output: EngineSettings,
    http: { method: 'GET', path: '/system/settings' },
    permission: 'authenticated',
  }),
  'system.settings.set': defineRequest({
    summary:
      'Changes the persistence default (kept under the data folder) or, in the desktop app, turns its API server ' +
      'on or off or moves it to another port; headless, the API server cannot be changed (UNAVAILABLE).',
    input: EngineSettingsChange,
    output: EngineSettings,
    http: { method: 'PUT', path: '/system/settings' },
    permission: 'system:admin',
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
