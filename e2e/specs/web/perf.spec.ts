/**
 * Performance budgets of issue 8 (item 9), measured in the built app against `govc serve`:
 * the log view keeps up with 10,000 lines a second, no long task over 100 ms meanwhile, the workspace
 * paints within a second, and switching files takes under 100 ms. Numbers go to the test's output,
 * test-results/e2e/perf.json, and the `ui` section of docs/benchmarks.md (UPDATE_DOCS_BENCHMARKS=1 rewrites it).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../../fixtures/page-guard';
import { BuildsPane } from '../../pages/BuildsPane';
import { ShellPage } from '../../pages/ShellPage';
import { WorkspacePane } from '../../pages/WorkspacePane';
import { recordUiSection, type PerfReport } from '../../support/perf-report';

// Before any app code: turn the test-only log hook on, and record long tasks and the workspace's first paint.
const INSTRUMENT = `
  localStorage.setItem('govc.testHooks', '1');
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const watch = () => {
    // The Files view renders while hidden: ready means its file tree holds the repository's files.
    if (document.querySelector('.ws-sidebar [role=treeitem]')) window.__workspacePaint = performance.now();
    else requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
`;

/**
 * The little of the page the probes below touch. e2e compiles without the DOM library, and each probe runs
 * in the page, so it takes `globalThis` as this shape itself.
 */
interface ElementLike {
  title: string;
  textContent: string | null;
  click(): void;
  getBoundingClientRect(): { width: number };
}
interface PageWindow {
  document: { querySelector(s: string): ElementLike | null; querySelectorAll(s: string): Iterable<ElementLike> };
  requestAnimationFrame(callback: () => void): number;
  __govcLogTestHook?: { feed(lines: string[]): void; written(): number };
  __longTasks: { start: number; duration: number }[];
  __workspacePaint?: number;
}

const longTasks = (page: Page) => page.evaluate(() => (globalThis as unknown as PageWindow).__longTasks);

/** Feeds `rate` lines a second for `seconds` through the log view's test hook; resolves with how it kept up. */
async function feedLog(page: Page, rate: number, seconds: number) {
  return page.evaluate(
    async ({ rate, seconds }) => {
      const w = globalThis as unknown as PageWindow;
      const hook = w.__govcLogTestHook!;
      const start = performance.now();
      const base = hook.written();
      let fed = 0;
      let maxBacklog = 0;
      // Feed every 10 ms the lines due by then, as a noisy RUN would arrive.
      await new Promise<void>((done) => {
        const timer = setInterval(() => {
          const due = Math.min(Math.round(((performance.now() - start) / 1000) * rate), rate * seconds);
          const lines: string[] = [];
          for (; fed < due; fed++)
            lines.push(`\u001b[32mline ${fed}\u001b[0m compiling module ${fed % 997} of the app`);
          hook.feed(lines);
          maxBacklog = Math.max(maxBacklog, fed - (hook.written() - base));
          if (fed >= rate * seconds) {
            clearInterval(timer);
            done();
          }
        }, 10);
      });
      const fedAt = performance.now();
      while (hook.written() - base < fed) await new Promise<void>((r) => w.requestAnimationFrame(r));
      const end = performance.now();
      return { fed, elapsedMs: end - start, drainMs: end - fedAt, maxBacklog, window: { start, end } };
    },
    { rate, seconds },
  );
}

/** Clicks a tab and waits for the editor to show the file's text; milliseconds in the page's own clock. */
async function switchTo(page: Page, path: string, marker: string): Promise<number> {
  return page.evaluate(
    ({ path, marker }) =>
      new Promise<number>((done) => {
        const w = globalThis as unknown as PageWindow;
        const tab = [...w.document.querySelectorAll('[role=tab]')].find((t) => t.title === path)!;
        const start = performance.now();
        tab.click();
        const check = () => {
          const lines = w.document.querySelector('.ws-editor .view-lines');
          if (lines?.textContent?.includes(marker)) done(performance.now() - start);
          else w.requestAnimationFrame(check);
        };
        check();
      }),
    { path, marker },
  );
}

test('performance budgets: log throughput, long tasks, workspace paint, file switching', async ({
  page,
  govcServer,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.addInitScript({ content: INSTRUMENT });
  const shell = new ShellPage(page);
  await shell.open(govcServer.signInUrl);
  await shell.gotoView('Files');
  const ws = new WorkspacePane(page);
  const builds = new BuildsPane(page);

  await ws.createRepo(`perf-${Date.now().toString(36)}`);
  await ws.newFile('notes.txt');
  await ws.type('NOTES-MARKER');
  await ws.save('notes.txt');
  await ws.newFile('Dockerfile');
  await ws.type('FROM scratch\nCOPY notes.txt /\n# DOCKERFILE-MARKER');
  await ws.save('Dockerfile');

  // The workspace's first paint after a reload straight into it.
  await page.reload();
  await shell.waitUntilConnected();
  await page.waitForFunction(() => (globalThis as unknown as PageWindow).__workspacePaint);
  const paint = await page.evaluate(
    () =>
      new Promise<{ fcp: number; workspace: number; show: number }>((done) => {
        const w = globalThis as unknown as PageWindow;
        // And from the rail click to the view painted.
        const start = performance.now();
        w.document.querySelector('nav[aria-label=Views] button[title^=Files]')!.click();
        const check = () => {
          if (w.document.querySelector('.ws-sidebar')!.getBoundingClientRect().width > 0) {
            w.requestAnimationFrame(() =>
              done({
                fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
                workspace: w.__workspacePaint ?? NaN,
                show: performance.now() - start,
              }),
            );
          } else w.requestAnimationFrame(check);
        };
        check();
      }),
  );
  await expect(ws.tab('Dockerfile')).toBeVisible();

  const switches: number[] = [];
  for (let i = 0; i < 5; i++) {
    switches.push(await switchTo(page, 'notes.txt', 'NOTES-MARKER'));
    switches.push(await switchTo(page, 'Dockerfile', 'DOCKERFILE-MARKER'));
  }

  await builds.openFormWithShortcut();
  await builds.fillForm({ ref: 'worktree' });
  await builds.startFromForm();
  await builds.waitForStatus('completed');
  await builds.showLogs();
  await page.waitForFunction(() => (globalThis as unknown as PageWindow).__govcLogTestHook !== undefined);

  const log = await feedLog(page, 10_000, 3);
  const during = (await longTasks(page)).filter(
    (t) => t.start + t.duration >= log.window.start && t.start <= log.window.end,
  );
  const report: PerfReport = {
    browser: `Chromium ${page.context().browser()?.version() ?? ''}`.trim(),
    log: { ...log, linesPerSecond: Math.round(log.fed / (log.elapsedMs / 1000)) },
    longestTaskDuringLogMs: Math.max(0, ...during.map((t) => t.duration)),
    longTasksDuringLog: during.map((t) => [Math.round(t.start - log.window.start), Math.round(t.duration)]),
    firstContentfulPaintMs: Math.round(paint.fcp),
    workspaceReadyMs: Math.round(paint.workspace),
    showFilesViewMs: Math.round(paint.show),
    fileSwitchMs: { max: Math.round(Math.max(...switches)), median: Math.round(switches.sort((a, b) => a - b)[5]!) },
  };
  console.log(JSON.stringify(report, null, 2));
  await writeFile(join(testInfo.project.outputDir, 'perf.json'), JSON.stringify(report, null, 2));
  if (await recordUiSection(report)) testInfo.annotations.push({ type: 'docs', description: 'docs/benchmarks.md: ui' });

  expect(log.fed).toBe(30_000);
  // The targets (no long task over 100 ms, paint under 1 s, instant switches) are measured and
  // reported here and in docs/ui.md, not asserted: wall-clock budgets on a shared 2-core machine would make
  // the suite flaky. The assertions below catch what no machine excuses: a page that freezes or falls behind.
  const targets = {
    'long task during log < 100 ms': report.longestTaskDuringLogMs < 100,
    'workspace ready < 1000 ms': paint.workspace < 1000,
    'file switch < 100 ms': report.fileSwitchMs.max < 100,
  };
  for (const [target, met] of Object.entries(targets)) {
    testInfo.annotations.push({ type: met ? 'target met' : 'target missed', description: target });
  }
  expect(log.drainMs).toBeLessThan(2000);
  expect(report.longestTaskDuringLogMs).toBeLessThan(1000);
  expect(paint.workspace).toBeLessThan(5000);
  expect(paint.show).toBeLessThan(1000);
  expect(report.fileSwitchMs.max).toBeLessThan(1000);
});
