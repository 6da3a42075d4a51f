/**
 * Golden tests in BuildKit's style: testdata/rules/<id>/ holds a bad file the rule must flag, a good file
 * it must leave alone (the negative case), an optional policy.yaml, and expected.json with the rule's
 * findings on the bad file (fixes included). Every rule has a folder. UPDATE_GOLDEN=1 rewrites
 * expected.json; review the diff before committing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFile } from './lint';
import { defaults, loadPolicy } from './load';
import { RULES } from './rules';
import { applyFix } from './text';
import type { LintKind } from './types';

const root = join(import.meta.dirname, 'testdata', 'rules');
const update = process.env.UPDATE_GOLDEN === '1';

function caseOf(id: string) {
  const dir = join(root, id);
  const name = (prefix: string) => readdirSync(dir).find((f) => f.startsWith(`${prefix}.`))!;
  const policyFile = join(dir, 'policy.yaml');
  const loaded = existsSync(policyFile) ? loadPolicy(readFileSync(policyFile, 'utf8')) : undefined;
  const policy = loaded?.policy ?? defaults();
  return { dir, bad: name('bad'), good: name('good'), policy, loaded };
}

function kindOf(rule: (typeof RULES)[number], file: string): LintKind {
  if (rule.kind !== 'any') return rule.kind;
  return file.endsWith('.Dockerfile') ? 'dockerfile' : 'compose';
}

describe('rule golden files', () => {
  it('every rule has a folder, and every folder a rule', () => {
    expect(readdirSync(root).sort()).toEqual(RULES.map((r) => r.id));
  });

  for (const rule of RULES) {
    describe(`${rule.id} ${rule.name}`, () => {
      it('flags the bad file as expected.json says', () => {
        const c = caseOf(rule.id);
        if (c.loaded) expect(c.loaded.diagnostics).toEqual([]);
        const text = readFileSync(join(c.dir, c.bad), 'utf8');
        const found = lintFile(c.bad, text, c.policy, kindOf(rule, c.bad)).findings.filter((f) => f.ruleId === rule.id);
        expect(found.length).toBeGreaterThan(0);
        const expectedPath = join(c.dir, 'expected.json');
        if (update || !existsSync(expectedPath)) writeFileSync(expectedPath, `${JSON.stringify(found, null, 2)}\n`);
        expect(found).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
        for (const f of found) expect(f.severity).toBe(rule.severity);
      });

      it('leaves the good file alone', () => {
        const c = caseOf(rule.id);
        const text = readFileSync(join(c.dir, c.good), 'utf8');
        const found = lintFile(c.good, text, c.policy, kindOf(rule, c.good)).findings.filter(
          (f) => f.ruleId === rule.id,
        );
        expect(found).toEqual([]);
      });

      if (rule.fixable) {
        it('fixes what it flags so the rule is satisfied', () => {
          const c = caseOf(rule.id);
          const text = readFileSync(join(c.dir, c.bad), 'utf8');
          const kind = kindOf(rule, c.bad);
          const fixes = lintFile(c.bad, text, c.policy, kind).findings.filter((f) => f.ruleId === rule.id && f.fix);
          expect(fixes.length).toBeGreaterThan(0);
          // One at a time: each fix's ranges are for the text it was computed on.
          let fixed = text;
          for (let i = 0; i < 20; i++) {
            const next = lintFile(c.bad, fixed, c.policy, kind).findings.find((f) => f.ruleId === rule.id && f.fix);
            if (!next) break;
            fixed = applyFix(fixed, next.fix!);
          }
          const after = lintFile(c.bad, fixed, c.policy, kind).findings;
          expect(after.filter((f) => f.ruleId === rule.id && f.fix)).toEqual([]);
          expect(after.filter((f) => f.ruleId === 'GV0001')).toEqual([]);
        });
      }
    });
  }
});
