/**
 * The `ui` section of docs/benchmarks.md, written by e2e/specs/web/perf.spec.ts when asked
 * (UPDATE_DOCS_BENCHMARKS=1, or when the section is missing), between the same markers the benchmarks use.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { upsertSection } from '../../bench/report';

export const BENCHMARKS_DOC = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
const MARKER = '<!-- bench:ui -->';

export interface PerfReport {
  log: { fed: number; linesPerSecond: number; drainMs: number; maxBacklog: number };
  longestTaskDuringLogMs: number;
  longTasksDuringLog: number[][];
  firstContentfulPaintMs: number;
  workspaceReadyMs: number;
  showFilesViewMs: number;
  fileSwitchMs: { max: number; median: number };
  browser: string;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const met = (ok: boolean) => (ok ? 'yes' : 'no');

export function renderUiSection(report: PerfReport, date: string): string {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const tasks = report.longTasksDuringLog.length;
  return [
    '## The user interface: log throughput, long tasks, paint, file switching',
    '',
    `Measured ${date} on ${machine}, in ${report.browser} (headless) against \`govc serve\`, by`,
    '`e2e/specs/web/perf.spec.ts` (`UPDATE_DOCS_BENCHMARKS=1` rewrites this section). Budgets from issue 8, item 9.',
    'Only freezes are asserted (a backlog not drained within 2 s, a task over 1 s); the budgets are reported, since',
    'wall-clock times on a shared machine are noisy.',
    '',
    '| measure | budget | measured | met |',
    '| --- | --- | --- | --- |',
    `| log view fed 10,000 lines/s for 3 s | keeps up (backlog drained < 1 s) | ${report.log.linesPerSecond.toLocaleString('en')} lines/s fed, ` +
      `backlog drained ${ms(report.log.drainMs)} after the last line | ${met(report.log.drainMs < 1000)} |`,
    `| longest task while the log is fed | < 100 ms | ${ms(report.longestTaskDuringLogMs)} (${tasks} task${tasks === 1 ? '' : 's'} over 50 ms) | ${met(report.longestTaskDuringLogMs < 100)} |`,
    `| workspace ready (file tree filled) after a reload | < 1 s | ${ms(report.workspaceReadyMs)} (first contentful paint ${ms(report.firstContentfulPaintMs)}) | ${met(report.workspaceReadyMs < 1000)} |`,
    `| Files view shown from the rail click | instant | ${ms(report.showFilesViewMs)} | ${met(report.showFilesViewMs < 100)} |`,
    `| switching files (tab click → text shown), 10 switches | < 100 ms | median ${ms(report.fileSwitchMs.median)}, max ${ms(report.fileSwitchMs.max)} | ${met(report.fileSwitchMs.max < 100)} |`,
    '',
    `- Load average when the run ended: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} (other work shares the machine).`,
  ].join('\n');
}

/** Writes the section when asked, or when the document does not have one yet. */
export async function recordUiSection(report: PerfReport): Promise<boolean> {
  if (!existsSync(BENCHMARKS_DOC)) return false;
  const doc = await readFile(BENCHMARKS_DOC, 'utf8');
  if (process.env.UPDATE_DOCS_BENCHMARKS !== '1' && doc.includes(MARKER)) return false;
  const date = new Date().toISOString().slice(0, 10);
  await writeFile(BENCHMARKS_DOC, upsertSection(doc, 'ui', renderUiSection(report, date)));
  return true;
}
