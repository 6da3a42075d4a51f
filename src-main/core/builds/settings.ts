/** The build queue's settings, kept in `<dataDir>/builds/settings.json`. */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../build/store/atomic';
import { DEFAULT_CACHE_MAX_BYTES } from '../build/plan/cache-index';
import { ENGINE_NAMES, type EngineChoice } from '../engines/types';

export interface BuildSettings {
  concurrency: number;
  auto_delay_ms: number;
  default_engine: EngineChoice;
  /** Bound on the build cache's layers; least recently used steps are forgotten past it. */
  cache_max_bytes: number;
}

export const DEFAULT_BUILD_SETTINGS: BuildSettings = {
  concurrency: 2,
  auto_delay_ms: 1000,
  default_engine: 'auto',
  cache_max_bytes: DEFAULT_CACHE_MAX_BYTES,
};

const isEngineChoice = (value: unknown): value is EngineChoice =>
  value === 'auto' || (ENGINE_NAMES as readonly unknown[]).includes(value);

export class BuildSettingsFile {
  value: BuildSettings;

  constructor(
    private readonly file: string,
    defaults: Partial<BuildSettings> = {},
  ) {
    this.value = { ...DEFAULT_BUILD_SETTINGS, ...defaults };
  }

  async load(): Promise<void> {
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    try {
      const saved = JSON.parse(text) as Partial<BuildSettings>;
      if (Number.isInteger(saved.concurrency) && saved.concurrency! >= 1) this.value.concurrency = saved.concurrency!;
      if (Number.isInteger(saved.auto_delay_ms) && saved.auto_delay_ms! >= 0)
        this.value.auto_delay_ms = saved.auto_delay_ms!;
      if (isEngineChoice(saved.default_engine)) this.value.default_engine = saved.default_engine;
      if (Number.isInteger(saved.cache_max_bytes) && saved.cache_max_bytes! >= 0)
        this.value.cache_max_bytes = saved.cache_max_bytes!;
    } catch {
      // A damaged settings file means the defaults, not an engine that will not start.
    }
  }

  async update(change: Partial<BuildSettings>): Promise<BuildSettings> {
    this.value = { ...this.value, ...change };
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(this.value, null, 2));
    return this.value;
  }
}
