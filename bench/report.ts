import { speedup, type BenchResult, type Benchmark } from './harness';

function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

/** A benchmark's section of docs/benchmarks.md: a table of times and ratios (peer time / our time). */
export function renderSection(
  bench: Pick<Benchmark, 'name' | 'title'>,
  result: BenchResult,
  meta: { machine: string; date: string },
): string {
  const lines = [
    `## ${bench.title}`,
    '',
    `Peer: ${result.peer}. Measured ${meta.date} on ${meta.machine}, ours and the peer in the same run (\`npm run bench ${bench.name}\`).`,
    'Ratio = peer time / our time (above 1: we are faster).',
    '',
    '| case | ours | peer | ratio | aim | met |',
    '| --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const row of result.rows) {
    const ratio = speedup(row);
    const met = row.aimRatio === undefined ? '' : ratio >= row.aimRatio ? 'yes' : 'no';
    lines.push(
      `| ${row.case} | ${ms(row.oursMs)} | ${ms(row.peerMs)} | ${ratio.toFixed(2)}x | ${row.aim ?? ''} | ${met} |`,
    );
  }
  if (result.notes && result.notes.length > 0) lines.push('', ...result.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** Replaces the section between this benchmark's markers, or appends it. */
export function upsertSection(doc: string, name: string, section: string): string {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${section}\n${end}`;
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  if (start >= 0 && stop > start) return doc.slice(0, start) + block + doc.slice(stop + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}
