/**
 * Golden tests: each folder testdata/<kind>/<case>/ holds input files laid out as in a repository and an
 * expected.json with the definitions found there (content ids left out) and the graph between them.
 * `negative/` cases are malformed inputs: they must produce diagnostics, never an exception.
 * UPDATE_GOLDEN=1 rewrites expected.json from the current output; review the diff before committing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisCache } from './cache';
import { buildGraph } from './graph';
import { scanAll } from './scan';
import type { FileSet } from './source';

const root = join(import.meta.dirname, 'testdata');
const update = process.env.UPDATE_GOLDEN === '1';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** A case folder as a file set; ids are git blob ids, as a repository would give. */
function folderFiles(dir: string): FileSet {
  const blobs = new Map<string, Buffer>();
  const files = new Map<string, string>();
  for (const full of walk(dir)) {
    const path = relative(dir, full).split(sep).join('/');
    if (path === 'expected.json') continue;
    const bytes = readFileSync(full);
    const oid = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    blobs.set(oid, bytes);
    files.set(path, oid);
  }
  return {
    oidOf: (path) => files.get(path),
    *filesUnder(d) {
      for (const entry of files) if (d === '' || entry[0] === d || entry[0].startsWith(`${d}/`)) yield entry;
    },
    readBlob: async (oid) => blobs.get(oid)!,
  };
}

const cases = readdirSync(root)
  .filter((kind) => kind !== 'schema' && statSync(join(root, kind)).isDirectory())
  .flatMap((kind) => readdirSync(join(root, kind)).map((name) => ({ kind, name, dir: join(root, kind, name) })));

describe('golden definitions', () => {
  it('has cases for every kind, the graph and the negative set', () => {
    const kinds = new Set(cases.map((c) => c.kind));
    for (const k of ['dockerfile', 'compose', 'kubernetes', 'kustomize', 'helm', 'graph', 'detection', 'negative']) {
      expect(kinds, k).toContain(k);
    }
  });

  for (const c of cases) {
    it(`${c.kind}/${c.name}`, async () => {
      const scan = await scanAll(folderFiles(c.dir), new AnalysisCache());
      const definitions = [...scan.entries.values()]
        .map((e) => e.definition)
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      const actual = JSON.parse(
        JSON.stringify({ definitions: definitions.map(({ oid: _oid, ...d }) => d), edges: buildGraph(definitions) }),
      ) as unknown;
      const file = join(c.dir, 'expected.json');
      if (update) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
      expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      if (c.kind === 'negative') {
        expect(
          definitions.some((d) => d.errors + d.warnings > 0),
          'a negative case yields diagnostics',
        ).toBe(true);
      }
    });
  }
});
