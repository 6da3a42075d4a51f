/**
 * The desktop app's settings: `<data>/settings.json`, read with plain fs (electron-store would need the
 * Electron runtime in tests) and validated with zod. A missing file means defaults; a broken one means
 * defaults plus a problem the caller logs, so a typo never stops the app from starting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/build/store/atomic';

export const SETTINGS_FILE = 'settings.json';

/** Same default port as `govc serve`, so its documentation holds for the desktop's API too. */
export const DEFAULT_API_PORT = 8080;

export const DesktopSettings = z.object({
  apiServer: z
    .object({
      enabled: z.boolean().default(false),
      /** 0 picks a free port (the log says which). */
      port: z.number().int().min(0).max(65535).default(DEFAULT_API_PORT),
    })
    .default({ enabled: false, port: DEFAULT_API_PORT }),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export interface SettingsRead {
  settings: DesktopSettings;
  file: string;
  /** Why the file was not used, when it exists but is not valid. */
  problem?: string;
}

export function defaultSettings(): DesktopSettings {
  return DesktopSettings.parse({});
}

export function readSettings(dataDir: string): SettingsRead {
  const file = join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), file };
    return { settings: defaultSettings(), file, problem: `cannot read it: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { settings: defaultSettings(), file, problem: `it is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = DesktopSettings.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    return { settings: defaultSettings(), file, problem: `it is not valid: ${issues.join('; ')}` };
  }
  return { settings: parsed.data, file };
}

/**
 * Writes the settings back (the Settings view changes the API server). Atomic, so a crash mid-write leaves the
 * old file, which readSettings would otherwise treat as broken and replace with defaults.
 */
export async function writeSettings(dataDir: string, settings: DesktopSettings): Promise<void> {
  await writeFileAtomic(join(dataDir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
}
