import { describe, expect, it } from 'vitest';
import { countBySeverity, createDiagnosticsStore, problemsOf } from './diagnostics';
import { EngineRefusal, fakeEngine } from './fake-engine.test-kit';

const range = (line: number, column = 1, endColumn = 10) => ({
  start: { line, column },
  end: { line, column: endColumn },
});

const ADD_FIX = { description: 'Replace ADD with COPY', edits: [{ range: range(3, 1, 4), text: 'COPY' }] };

function engine(overrides: Record<string, (input: Record<string, unknown>) => unknown> = {}) {
  return fakeEngine({
    'definitions.list': () => ({
      count: 1,
      definitions: [
        {
          path: 'Dockerfile',
          files: ['Dockerfile'],
          diagnostics: [
            {
              severity: 'error',
              message: 'Unknown instruction: FOO',
              range: range(2),
              rule: 'dockerfile/unknown-instruction',
              source: 'dockerfile-utils',
            },
            {
              severity: 'warning',
              message: 'elsewhere',
              range: range(1),
              rule: 'x',
              source: 'yaml',
              file: 'values.yaml',
            },
          ],
        },
      ],
    }),
    'policy.report': () => ({
      policyDiagnostics: [],
      definitions: [
        {
          path: 'Dockerfile',
          findings: [
            { ruleId: 'GV1010', severity: 'warning', mode: 'warn', message: 'Use COPY', range: range(3), fix: ADD_FIX },
            { ruleId: 'GV1001', severity: 'warning', mode: 'warn', message: 'latest tag', range: range(1, 6, 17) },
          ],
        },
        {
          path: 'other/Dockerfile',
          findings: [{ ruleId: 'GV1001', severity: 'error', mode: 'enforce', message: 'no', range: range(1) }],
        },
      ],
    }),
    ...overrides,
  });
}

describe('diagnostics store', () => {
  it('merges the definition diagnostics and policy findings of one file, top to bottom', async () => {
    const store = createDiagnosticsStore(engine().link);
    await store.getState().refresh('app', 'Dockerfile');
    const file = problemsOf(store.getState(), 'app', 'Dockerfile');
    expect(file.loading).toBe(false);
    expect(file.failure).toBeUndefined();
    expect(file.problems.map((p) => [p.range.start.line, p.rule, p.origin])).toEqual([
      [1, 'GV1001', 'policy'],
      [2, 'dockerfile/unknown-instruction', 'definition'],
      [3, 'GV1010', 'policy'],
    ]);
    expect(file.problems[2]?.fix).toEqual(ADD_FIX);
    expect(countBySeverity(file.problems)).toEqual({ error: 1, warning: 2, info: 0 });
  });

  it('treats a file that is not a definition as having no diagnostics, not as a failure', async () => {
    const refused = engine({
      'policy.report': () => ({ policyDiagnostics: [], definitions: [] }),
    });
    const store = createDiagnosticsStore(refused.link);
    await store.getState().refresh('app', 'notes.txt');
    expect(problemsOf(store.getState(), 'app', 'notes.txt')).toEqual({ problems: [], loading: false });
  });

  it('keeps what it could read and says what failed', async () => {
    const broken = engine({
      'policy.report': () => {
        throw new EngineRefusal('INTERNAL', 'policy exploded');
      },
    });
    const store = createDiagnosticsStore(broken.link);
    await store.getState().refresh('app', 'Dockerfile');
    const file = problemsOf(store.getState(), 'app', 'Dockerfile');
    expect(file.problems.map((p) => p.rule)).toEqual(['dockerfile/unknown-instruction']);
    expect(file.failure).toMatch(/Could not check Dockerfile: .*policy exploded/);
  });

  it('drops an answer that arrives after a newer read (a save while the last check was on its way)', async () => {
    let release: (() => void) | undefined;
    let calls = 0;
    const slow = engine({
      'policy.report': async () => {
        calls += 1;
        if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
        return {
          policyDiagnostics: [],
          definitions:
            calls === 1
              ? [
                  {
                    path: 'Dockerfile',
                    findings: [{ ruleId: 'OLD', severity: 'error', mode: 'warn', message: 'old', range: range(1) }],
                  },
                ]
              : [],
        };
      },
    });
    const store = createDiagnosticsStore(slow.link);
    const first = store.getState().refresh('app', 'Dockerfile');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await store.getState().refresh('app', 'Dockerfile');
    release?.();
    await first;
    expect(problemsOf(store.getState(), 'app', 'Dockerfile').problems.map((p) => p.rule)).toEqual([
      'dockerfile/unknown-instruction',
    ]);
  });

  it('asks the editor to move to a problem, each click counting', () => {
    const store = createDiagnosticsStore(engine().link);
    store.getState().revealAt('app', 'Dockerfile', range(3, 5));
    store.getState().revealAt('app', 'Dockerfile', range(3, 5));
    expect(store.getState().reveal).toEqual({ repo: 'app', path: 'Dockerfile', line: 3, column: 5, seq: 2 });
  });
});
