/**
 * The engine: every service the app has, built once and shared by the Electron shell, the headless server
 * and the CLI. It knows nothing of transports; they call `dispatch(engine.handlers, …)`.
 */
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { EventBus } from './events/bus';
import { createHandlers } from './handlers';
import type { Handlers } from './handlers/dispatch';
import { VERSION } from './version';

export type EngineMode = 'desktop' | 'headless';

export interface EngineOptions {
  dataDir: string;
  mode: EngineMode;
  logger: Logger;
}

export interface Engine {
  readonly dataDir: string;
  readonly mode: EngineMode;
  readonly version: string;
  readonly startedAt: Date;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly handlers: Handlers;
  /** Flushes persisted state and releases resources; safe to call more than once. */
  close(reason?: string): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  mkdirSync(options.dataDir, { recursive: true });
  const bus = new EventBus();
  let closing: Promise<void> | undefined;
  const engine: Engine = {
    dataDir: options.dataDir,
    mode: options.mode,
    version: VERSION,
    startedAt: new Date(),
    bus,
    logger: options.logger,
    handlers: undefined as unknown as Handlers,
    close(reason = 'shutdown') {
      closing ??= (async () => {
        bus.emit('system.stopping', { reason });
        options.logger.info({ reason }, 'engine stopped');
      })();
      return closing;
    },
  };
  (engine as { handlers: Handlers }).handlers = createHandlers(engine);
  bus.emit('system.started', { version: VERSION, mode: options.mode });
  return engine;
}
