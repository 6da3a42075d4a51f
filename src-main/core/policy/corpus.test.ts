/**
 * A corpus of realistic Dockerfiles (testdata/corpus/<name>/Dockerfile) across stacks, each with the
 * findings it is expected to produce under the default policy: rule, line, severity. It catches false
 * positives on ordinary files as much as misses. UPDATE_GOLDEN=1 rewrites expected.json; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFile } from './lint';
import { defaults } from './load';

const root = join(import.meta.dirname, 'testdata', 'corpus');
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(root).sort();

describe('Dockerfile corpus', () => {
  it('has at least 50 Dockerfiles', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(root, name, 'Dockerfile'), 'utf8');
      const result = lintFile('Dockerfile', text, defaults(), 'dockerfile');
      const summary = {
        findings: result.findings.map(
          (f) => `${f.range.start.line}:${f.range.start.column} ${f.severity} ${f.ruleId} ${f.message}`,
        ),
        suppressed: result.suppressed.map((f) => `${f.range.start.line} ${f.ruleId} ${f.reason ?? ''}`.trim()),
      };
      const file = join(root, name, 'expected.json');
      if (update || !existsSync(file)) writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
      expect(summary).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});
