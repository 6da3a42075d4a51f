import { describe, expect, it } from 'vitest';
import { renderSection, upsertSection } from './report';

describe('benchmark report', () => {
  const result = {
    peer: 'git CLI',
    rows: [
      { case: 'commit', oursMs: 10, peerMs: 60, aim: '>= 5x', aimRatio: 5 },
      { case: 'status', oursMs: 4, peerMs: 8, aim: '>= 10x', aimRatio: 10 },
    ],
    notes: ['memory peak 80 MiB'],
  };

  it('prints ratios and whether each aim was met', () => {
    const text = renderSection({ name: 'git', title: 'Git' }, result, { machine: 'm', date: '2026-11-28' });
    expect(text).toContain('| commit | 10.00 ms | 60.00 ms | 6.00x | >= 5x | yes |');
    expect(text).toContain('| status | 4.00 ms | 8.00 ms | 2.00x | >= 10x | no |');
    expect(text).toContain('- memory peak 80 MiB');
  });

  it('replaces its own section and leaves the others', () => {
    let doc = '# Benchmarks\n';
    doc = upsertSection(doc, 'a', 'A1');
    doc = upsertSection(doc, 'b', 'B1');
    doc = upsertSection(doc, 'a', 'A2');
    expect(doc).toBe(
      '# Benchmarks\n\n<!-- bench:a -->\nA2\n<!-- /bench:a -->\n\n<!-- bench:b -->\nB1\n<!-- /bench:b -->\n',
    );
  });
});
