/**
 * Engine problems as Monaco markers. Kept free of Monaco's runtime (types only) so the mapping is unit
 * tested in Node; the caller passes Monaco's severities and how a rule id becomes a link.
 */
import type * as Monaco from 'monaco-editor/editor';
import type { Problem, Severity } from '../stores/diagnostics';

export type MarkerSeverities = Record<Severity, Monaco.MarkerSeverity>;

/** Monaco's `MarkerSeverity` values, which are part of its API (Info 2, Warning 4, Error 8). */
export const MONACO_SEVERITIES: MarkerSeverities = { info: 2, warning: 4, error: 8 };

/** Which owner our markers are set under, so they never replace a language worker's own. */
export const MARKER_OWNER = 'govc';

export function toMarker(
  problem: Problem,
  severities: MarkerSeverities,
  docLink: (rule: string) => Monaco.Uri | undefined,
): Monaco.editor.IMarkerData {
  const { start, end } = problem.range;
  const target = docLink(problem.rule);
  // An empty range draws nothing: widen it to one character so the squiggle shows where the problem starts.
  const sameSpot = end.line === start.line && end.column <= start.column;
  return {
    severity: severities[problem.severity],
    message: problem.message,
    source: problem.source,
    code: target ? { value: problem.rule, target } : problem.rule,
    startLineNumber: start.line,
    startColumn: start.column,
    endLineNumber: end.line,
    endColumn: sameSpot ? start.column + 1 : end.column,
  };
}
