/**
 * The desktop's API server as the Settings view sees it: started from `<data>/settings.json` at boot, turned
 * on or off (or moved to another port) through `system.settings.set`, which also writes the file so the choice
 * holds on the next start. Changes run one at a time: two quick clicks must not start two servers.
 */
import type { Logger } from 'pino';
import type { ApiServerStatus } from '../../src-shared/contract';
import type { Engine } from '../core/engine';
import type { ApiServerChange, ApiServerControl } from '../core/system/settings';
import { startApiServer, type ApiServer } from './api-server';
import { writeSettings, type DesktopSettings } from './settings';

export interface DesktopApiServerOptions {
  engine: Engine;
  rendererDir: string;
  logger: Logger;
  settings: DesktopSettings;
}

export class DesktopApiServer implements ApiServerControl {
  private server: ApiServer | undefined;
  private problem: string | null = null;
  private settings: DesktopSettings;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DesktopApiServerOptions) {
    this.settings = options.settings;
  }

  /** Starts the server if the settings say so; a failure is reported in the status, not thrown. */
  start(): Promise<ApiServerStatus> {
    return this.serial(() => this.apply());
  }

  status(): ApiServerStatus {
    const { enabled, port } = this.settings.apiServer;
    return {
      changeable: true,
      enabled,
      port,
      url: this.server ? `${this.server.url}/api/v1` : null,
      token_file: this.server?.tokenFile ?? null,
      problem: this.problem,
    };
  }

  change(change: ApiServerChange): Promise<ApiServerStatus> {
    return this.serial(async () => {
      const before = this.settings.apiServer;
      const after = { ...before, ...change };
      const next = { ...this.settings, apiServer: after };
      // Written first: if the file cannot be written, nothing changes and the caller hears why.
      await writeSettings(this.options.engine.dataDir, next);
      this.settings = next;
      // A new port means a new listener; the same settings leave a running server alone.
      if (this.server && (!after.enabled || after.port !== before.port)) await this.stop();
      return this.apply();
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.stop());
  }

  private async apply(): Promise<ApiServerStatus> {
    const { enabled, port } = this.settings.apiServer;
    this.problem = null;
    if (enabled && !this.server) {
      try {
        const { engine, rendererDir, logger } = this.options;
        this.server = await startApiServer({ engine, port, rendererDir, logger });
      } catch (err) {
        // The desktop works without its API; the Settings view and the log say why the setting had no effect.
        this.problem = `It did not start on port ${port}: ${err instanceof Error ? err.message : String(err)}`;
        this.options.logger.error({ err, port }, 'API server did not start');
      }
    }
    return this.status();
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
