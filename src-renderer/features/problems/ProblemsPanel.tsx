import { ruleDocLink } from '../../editor/rule-docs';
import { countBySeverity, problemsOf, type Severity } from '../../stores/diagnostics';
import { useDiagnostics } from './diagnostics-context';
import './problems.css';

const ICONS: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

/** The open file's problems, as the engine found them in its saved text; a click moves the cursor there. */
export function ProblemsPanel({ repo, path }: { repo: string; path: string }) {
  const file = useDiagnostics((s) => problemsOf(s, repo, path));
  const reveal = useDiagnostics((s) => s.revealAt);
  const counts = countBySeverity(file.problems);
  const name = path.split('/').pop() ?? path;

  return (
    <section className="problems" aria-label="Problems">
      <h3 className="problems-title">
        Problems{' '}
        <span className="problems-counts" aria-label={`${counts.error} errors, ${counts.warning} warnings`}>
          {ICONS.error} {counts.error} {ICONS.warning} {counts.warning}
        </span>
        {file.loading && <span className="problems-note"> checking…</span>}
      </h3>
      {file.failure && (
        <p role="alert" className="problems-note">
          {file.failure}
        </p>
      )}
      {file.problems.length === 0 && !file.loading && !file.failure ? (
        <p className="problems-note">No problems found in the saved text.</p>
      ) : (
        <ul className="problems-list" aria-label="Problems in this file">
          {file.problems.map((problem, index) => {
            const doc = ruleDocLink(problem.rule);
            const line = problem.range.start.line;
            return (
              <li key={`${problem.rule}:${line}:${index}`} className={`problems-item problems-${problem.severity}`}>
                <button
                  type="button"
                  className="problems-jump"
                  onClick={() => reveal(repo, path, problem.range)}
                  aria-label={`${problem.severity} ${name} line ${line}: ${problem.message} (${problem.rule})`}
                >
                  <span aria-hidden="true">{ICONS[problem.severity]}</span>
                  <span className="problems-where">
                    {name}:{line}
                  </span>
                  <span className="problems-message">{problem.message}</span>
                </button>
                {doc ? (
                  <a className="problems-rule" href={doc.toString()} target="_blank" rel="noreferrer">
                    {problem.rule}
                  </a>
                ) : (
                  <span className="problems-rule">{problem.rule}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Errors and warnings of a file, for its tab. */
export function ProblemBadge({ repo, path }: { repo: string; path: string }) {
  const problems = useDiagnostics((s) => problemsOf(s, repo, path).problems);
  const counts = countBySeverity(problems);
  const total = counts.error + counts.warning;
  if (total === 0) return null;
  return (
    <span
      className={`problems-badge problems-${counts.error > 0 ? 'error' : 'warning'}`}
      title={`${counts.error} errors, ${counts.warning} warnings`}
    >
      {` ${total}`}
    </span>
  );
}
