/**
 * The engine's problems with each open file: definition diagnostics (syntax, schema) and policy findings,
 * read after a file is opened or saved. The engine validates what is saved, so these describe the saved
 * text; Monaco moves its markers along with unsaved edits until the next save reads them again.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  describeFailure,
  type DefinitionDiagnostic,
  type EngineLink,
  type PolicyFinding,
  type PolicyFix,
  type RequestInput,
  type RequestOutput,
  type SourceRange,
} from '../bridge';
import { bufferKey } from './buffers';

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  origin: 'definition' | 'policy';
  severity: Severity;
  message: string;
  range: SourceRange;
  /** `dockerfile/unknown-instruction`, `GV1001`… */
  rule: string;
  /** What found it: `dockerfile-utils`, `compose-spec`, `govc policy`… */
  source: string;
  fix?: PolicyFix;
}

export interface FileProblems {
  problems: readonly Problem[];
  loading: boolean;
  failure?: string;
}

/** Asks the editor showing `repo`/`path` to move its cursor there; `seq` makes a repeated click count. */
export interface RevealRequest {
  repo: string;
  path: string;
  line: number;
  column: number;
  seq: number;
}

export interface DiagnosticsState {
  byFile: Readonly<Record<string, FileProblems>>;
  reveal: RevealRequest | null;
  /** Reads the file's diagnostics and findings again; answers that arrive after a newer read are dropped. */
  refresh(repo: string, path: string): Promise<void>;
  revealAt(repo: string, path: string, range: SourceRange): void;
  /** Editor help the engine computes from unsaved text (compose keys, values, descriptions); nothing is kept. */
  help: EditorHelp;
}

export interface EditorHelp {
  complete(input: RequestInput<'definitions.complete'>): Promise<RequestOutput<'definitions.complete'>>;
  hover(input: RequestInput<'definitions.hover'>): Promise<RequestOutput<'definitions.hover'>>;
}

export type DiagnosticsStore = StoreApi<DiagnosticsState>;

const POLICY_FILE = '.govc/policy.yaml';
const NONE: FileProblems = Object.freeze({ problems: [], loading: false });

export function problemsOf(state: Pick<DiagnosticsState, 'byFile'>, repo: string, path: string): FileProblems {
  return state.byFile[bufferKey(repo, path)] ?? NONE;
}

export function countBySeverity(problems: readonly Problem[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const problem of problems) counts[problem.severity] += 1;
  return counts;
}

export function fromDiagnostic(diagnostic: DefinitionDiagnostic): Problem {
  const { severity, message, range, rule, source } = diagnostic;
  return { origin: 'definition', severity, message, range, rule, source };
}

export function fromFinding(finding: PolicyFinding): Problem {
  const { severity, message, range, ruleId, fix } = finding;
  return { origin: 'policy', severity, message, range, rule: ruleId, source: 'govc policy', ...(fix ? { fix } : {}) };
}

/** Top to bottom, so the Problems list reads like the file. */
export function byPosition(a: Problem, b: Problem): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

export function createDiagnosticsStore(link: EngineLink): DiagnosticsStore {
  const generations = new Map<string, number>();

  // The list, not `definitions.get`: asking for a file that is no definition answers 404, which the browser
  // logs as an error on every plain file opened.
  const definitionProblems = async (repo: string, path: string): Promise<Problem[]> => {
    const { definitions } = await link.invoke('definitions.list', { repo });
    const definition = definitions.find((d) => d.path === path || d.files.includes(path));
    // A chart's diagnostics may sit in its values files: each file shows only its own.
    return (definition?.diagnostics ?? []).filter((d) => (d.file ?? definition?.path) === path).map(fromDiagnostic);
  };

  const policyProblems = async (repo: string, path: string): Promise<Problem[]> => {
    const report = await link.invoke('policy.report', { repo });
    const findings = report.definitions.find((d) => d.path === path)?.findings ?? [];
    const problems = findings.map(fromFinding);
    return path === POLICY_FILE ? [...report.policyDiagnostics.map(fromDiagnostic), ...problems] : problems;
  };

  return createStore<DiagnosticsState>()((set, get) => {
    const put = (key: string, file: FileProblems) => set({ byFile: { ...get().byFile, [key]: file } });

    return {
      byFile: {},
      reveal: null,

      async refresh(repo, path) {
        const key = bufferKey(repo, path);
        const generation = (generations.get(key) ?? 0) + 1;
        generations.set(key, generation);
        const previous = get().byFile[key] ?? NONE;
        put(key, { ...previous, loading: true });
        const settled = await Promise.allSettled([definitionProblems(repo, path), policyProblems(repo, path)]);
        if (generations.get(key) !== generation) return;
        const problems = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : [])).sort(byPosition);
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        put(key, {
          problems,
          loading: false,
          ...(failed ? { failure: `Could not check ${path}: ${describeFailure(failed.reason)}` } : {}),
        });
      },

      help: {
        complete: (input) => link.invoke('definitions.complete', input),
        hover: (input) => link.invoke('definitions.hover', input),
      },

      revealAt(repo, path, range) {
        const seq = (get().reveal?.seq ?? 0) + 1;
        set({ reveal: { repo, path, line: range.start.line, column: range.start.column, seq } });
      },
    };
  });
}
