/**
 * The engine: every service the app has, built once and shared by the Electron shell, the headless server
 * and the CLI. It knows nothing of transports; they all come in through `engine.call`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { requests, type RequestName } from '../../src-shared/contract';
import { GovcError } from '../../src-shared/errors';
import { AuditLog } from './audit/log';
import { AuthService } from './auth/service';
import { BuildService } from './builds/service';
import { DefinitionService } from './definitions/service';
import { repoSources } from './definitions/repo-source';
import { EventBus } from './events/bus';
import { createHandlers } from './handlers';
import { dispatch, repoOf, type CallContext, type Handlers } from './handlers/dispatch';
import { RepoService } from './git/service';
import { EngineMetrics } from './metrics';
import { openEngineStore } from './build/store/engine-store';
import type { ContentStore } from './build/store/content-store';
import { RegistryClient } from './registry/client/client';
import { RegistryService } from './registry/service';
import { SigningService } from './signing/service';
import { EngineSettingsService } from './system/settings';
import { VERSION } from './version';
import { WebhookService } from './webhooks/service';

export type EngineMode = 'desktop' | 'headless';

export interface EngineOptions {
  dataDir: string;
  mode: EngineMode;
  logger: Logger;
  /** Webhook retry waits (tests shorten them). */
  webhookRetryDelaysMs?: readonly number[];
}

export interface Engine {
  readonly dataDir: string;
  readonly mode: EngineMode;
  readonly version: string;
  readonly startedAt: Date;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly auth: AuthService;
  readonly audit: AuditLog;
  readonly metrics: EngineMetrics;
  readonly webhooks: WebhookService;
  /** Git repositories by id; persisted ones are found under `<dataDir>/repos` and opened on first use. */
  readonly repos: RepoService;
  /** Container definitions (Dockerfiles, compose, Kubernetes, Kustomize, Helm) of each repository. */
  readonly definitions: DefinitionService;
  /** The one content-addressed store (`<dataDir>/store`, an OCI layout): build images, cache layers, registry blobs. */
  readonly store: ContentStore;
  /** The OCI registry served at /v2/; its blobs and manifests live in `store`. */
  readonly registry: RegistryService;
  /** Pushes images of `store` to registries and pulls them into it (docs/registry.md, "The client"). */
  readonly images: RegistryClient;
  /** The build queue and its records (`<dataDir>/builds`); see docs/builds.md. */
  readonly builds: BuildService;
  /** The engine's image signing key (`<dataDir>/signing`) and the signatures it made (docs/images.md). */
  readonly signing: SigningService;
  /** The persistence default for new repositories, and the desktop's API server once the shell lends it. */
  readonly settings: EngineSettingsService;
  readonly handlers: Handlers;
  /** Runs one request of the contract for a caller, and records it in the audit log when it changes state or is refused. */
  call(name: string, input: unknown, ctx: CallContext): Promise<unknown>;
  /** Flushes persisted state and releases resources; safe to call more than once. */
  close(reason?: string): Promise<void>;
}

/** Reads change nothing, so only their refusals are audited. */
function changesState(name: string): boolean {
  return name in requests && requests[name as RequestName].http.method !== 'GET';
}

export function createEngine(options: EngineOptions): Engine {
  mkdirSync(options.dataDir, { recursive: true });
  const bus = new EventBus();
  const auth = new AuthService({ dataDir: options.dataDir });
  const audit = new AuditLog({ dataDir: options.dataDir });
  const metrics = new EngineMetrics(bus);
  const webhooks = new WebhookService({
    dataDir: options.dataDir,
    bus,
    logger: options.logger,
    version: VERSION,
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
  });
  const repos = new RepoService({ dataDir: options.dataDir, bus, logger: options.logger });
  const definitions = new DefinitionService({ bus, repos: repoSources(repos), logger: options.logger });
  const store = openEngineStore(options.dataDir);
  const images = new RegistryClient(store, { onProgress: (e) => bus.emit('registry.transfer.progress', e) });
  let closing: Promise<void> | undefined;
  const engine: Engine = {
    dataDir: options.dataDir,
    mode: options.mode,
    version: VERSION,
    startedAt: new Date(),
    bus,
    logger: options.logger,
    auth,
    audit,
    metrics,
    webhooks,
    repos,
    definitions,
    store,
    registry: new RegistryService({ store, bus }),
    images,
    builds: new BuildService({
      dataDir: options.dataDir,
      bus,
      repos,
      store,
      logger: options.logger,
      // FROM an image the store lacks pulls it through the client (local images win).
      resolveImage: async (ref) => (await images.pull(ref)).name,
    }),
    signing: new SigningService(store, join(options.dataDir, 'signing')),
    settings: new EngineSettingsService(options.dataDir, options.mode),
    handlers: undefined as unknown as Handlers,
    async call(name, input, ctx) {
      try {
        const output = await dispatch(engine.handlers, name, input, ctx);
        if (changesState(name)) record(name, input, ctx, 'ok');
        return output;
      } catch (err) {
        const error = GovcError.from(err);
        if (error.code === 'FORBIDDEN') {
          record(name, input, ctx, 'denied', error.code);
          bus.emit('auth.denied', { action: name, reason: error.message }, { actor: ctx.principal.id });
        } else if (changesState(name)) record(name, input, ctx, 'error', error.code);
        throw error;
      }
    },
    close(reason = 'shutdown') {
      closing ??= (async () => {
        bus.emit('system.stopping', { reason });
        webhooks.close();
        definitions.close();
        await engine.builds.close(); // running builds end as failed: the engine stopped
        await repos.close(); // uncommitted work-tree state; commits are durable already
        auth.save(); // last-used times of tokens
        options.logger.info({ reason }, 'engine stopped');
      })();
      return closing;
    },
  };
  function record(
    name: string,
    input: unknown,
    ctx: CallContext,
    outcome: 'ok' | 'denied' | 'error',
    code?: string,
  ): void {
    const repo = repoOf(input);
    audit.record({
      actor: ctx.principal.id,
      action: name,
      via: ctx.via,
      outcome,
      ...(repo === undefined ? {} : { repo }),
      ...(code === undefined ? {} : { code }),
    });
  }
  (engine as { handlers: Handlers }).handlers = createHandlers(engine);
  bus.emit('system.started', { version: VERSION, mode: options.mode });
  return engine;
}
