/** Every rule has its page in docs/rules/, titled with its id and title, and the policy reference lists it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, ruleDocPath } from './rules';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

describe('rule documentation', () => {
  for (const rule of RULES) {
    it(`${rule.id} has a page and a row in docs/policy.md`, () => {
      const page = readFileSync(join(repoRoot, ruleDocPath(rule.id)), 'utf8');
      expect(page.split('\n')[0]).toBe(`# ${rule.id} ${rule.title}`);
      expect(page).toContain(`\`${rule.name}\``);
      expect(readFileSync(join(repoRoot, 'docs', 'policy.md'), 'utf8')).toContain(`[${rule.id}](rules/${rule.id}.md)`);
    });
  }
});
