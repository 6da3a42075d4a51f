import { existsSync } from 'node:fs';

/** Chromium to drive: PLAYWRIGHT_CHROMIUM_PATH, else Debian's, else undefined (Playwright's own, if installed). */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
