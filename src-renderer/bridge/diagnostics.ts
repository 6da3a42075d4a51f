/**
 * What the editor's squiggles, quick fixes and Problems list need from the definitions and policy parts of
 * the contract. Ranges are 1-based with `end` just past the last character, as Monaco counts.
 */
import type { RequestOutput } from '../../src-shared/contract';

export type DefinitionDiagnostic = RequestOutput<'definitions.get'>['definition']['diagnostics'][number];
export type PolicyReport = RequestOutput<'policy.report'>;
export type PolicyFinding = PolicyReport['definitions'][number]['findings'][number];
export type PolicyFix = NonNullable<PolicyFinding['fix']>;
export type SourceRange = DefinitionDiagnostic['range'];
