import { defineConfig } from '@playwright/test';
import { chromiumExecutable } from './support/browsers';

/**
 * e2e against the built app: `web` drives Chromium against `govc serve`; `electron` drives the desktop
 * shell where an Electron binary exists (and reports a labelled skip where it does not).
 * Run `npm run build` first (npm test does).
 */
const executablePath = chromiumExecutable();

export default defineConfig({
  testDir: './specs',
  outputDir: '../test-results/e2e',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e-report.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'web', testMatch: /web\/.*\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts/ },
  ],
});
