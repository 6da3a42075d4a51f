/**
 * The engine's own settings, kept in `<dataDir>/engine-settings.json`: today the persistence default for new
 * repositories. The API server is the shell's business (the desktop app starts it from its settings file);
 * the shell lends a control here so the contract can report and change it without core importing Electron.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiServerStatus, EngineSettings } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import { writeFileAtomic } from '../build/store/atomic';

export const ENGINE_SETTINGS_FILE = 'engine-settings.json';

export interface ApiServerChange {
  enabled?: boolean;
  port?: number;
}

/** What the desktop shell lends the engine: its API server's state, and a way to change it. */
export interface ApiServerControl {
  status(): ApiServerStatus;
  change(change: ApiServerChange): Promise<ApiServerStatus>;
}

/** `govc serve` is the API server: it serves the page asking, and turning it off from there makes no sense. */
const SERVED_BY_THIS_SERVER: ApiServerStatus = {
  changeable: false,
  enabled: true,
  port: null,
  url: null,
  token_file: null,
  problem: null,
};

const NO_CONTROL: ApiServerStatus = { ...SERVED_BY_THIS_SERVER, enabled: false };

export class EngineSettingsService {
  readonly file: string;
  /**
   * Until changed: kept on disk in the desktop app (its new-repository dialog always defaulted so), memory-only
   * headless, where scripts and CI have always had memory-first repositories unless they asked.
   */
  private persistDefault: boolean;
  private api: ApiServerControl | undefined;

  constructor(
    dataDir: string,
    private readonly mode: 'desktop' | 'headless',
  ) {
    this.file = join(dataDir, ENGINE_SETTINGS_FILE);
    this.persistDefault = mode === 'desktop';
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as { persist_default?: unknown };
      if (typeof saved.persist_default === 'boolean') this.persistDefault = saved.persist_default;
    } catch {
      // Missing or damaged: the defaults, not an engine that will not start.
    }
  }

  /** Whether `repos.create` keeps a repository on disk when the request does not say. */
  get persistByDefault(): boolean {
    return this.persistDefault;
  }

  /** The desktop shell hands over its API server once it has read its own settings. */
  useApiServer(control: ApiServerControl): void {
    this.api = control;
  }

  current(): EngineSettings {
    return { persist_default: this.persistDefault, api_server: this.apiStatus() };
  }

  async update(change: { persist_default?: boolean; api_server?: ApiServerChange }): Promise<EngineSettings> {
    if (change.api_server !== undefined) {
      if (!this.api) {
        throw new GovcError(
          'UNAVAILABLE',
          this.mode === 'headless'
            ? 'The API server cannot be changed here: govc serve is the API server; stop or restart it with other flags instead'
            : 'This engine has no API server to change (it was not started by the desktop app)',
        );
      }
      await this.api.change(change.api_server);
    }
    if (change.persist_default !== undefined && change.persist_default !== this.persistDefault) {
      mkdirSync(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify({ persist_default: change.persist_default }, null, 2));
      this.persistDefault = change.persist_default;
    }
    return this.current();
  }

  private apiStatus(): ApiServerStatus {
    if (this.api) return this.api.status();
    return this.mode === 'headless' ? SERVED_BY_THIS_SERVER : NO_CONTROL;
  }
}
