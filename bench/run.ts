/**
 * `npm run bench [name…]`: runs the benchmarks in bench/*.bench.ts (all, or those named), prints each
 * row's ratio against its peer, and rewrites that benchmark's section of docs/benchmarks.md.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderSection, upsertSection } from './report';
import type { Benchmark } from './harness';

const benchDir = import.meta.dirname;
const docPath = join(benchDir, '..', 'docs', 'benchmarks.md');

async function loadBenchmarks(names: string[]): Promise<Benchmark[]> {
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const all: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Benchmark };
    all.push(mod.default);
  }
  const unknown = names.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark(s): ${unknown.join(', ')}. Known: ${all.map((b) => b.name).join(', ') || 'none'}`,
    );
  }
  return names.length === 0 ? all : all.filter((b) => names.includes(b.name));
}

async function main(): Promise<void> {
  const benchmarks = await loadBenchmarks(process.argv.slice(2));
  if (benchmarks.length === 0) {
    process.stdout.write('No benchmarks found in bench/*.bench.ts\n');
    return;
  }
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
  if (!existsSync(docPath)) {
    mkdirSync(join(benchDir, '..', 'docs'), { recursive: true });
    writeFileSync(docPath, '# Benchmarks\n');
  }
  let doc = readFileSync(docPath, 'utf8');
  for (const bench of benchmarks) {
    process.stdout.write(`\n== ${bench.name}: ${bench.title}\n`);
    const result = await bench.run((line) => process.stdout.write(`   ${line}\n`));
    const section = renderSection(bench, result, { machine, date: new Date().toISOString().slice(0, 10) });
    process.stdout.write(`${section}\n`);
    doc = upsertSection(doc, bench.name, section);
    writeFileSync(docPath, doc);
  }
  process.stdout.write(`\nWrote ${docPath}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
