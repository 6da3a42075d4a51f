/**
 * Policies and lint rules for container definitions. `lintDefinition` lints one file, `policyReport` a
 * repository, `checkBeforeBuild` is the gate a build passes before anything runs.
 */
export { checkBeforeBuild, isBlocking, type BuildCheck } from './check';
export { checkBuiltImage, type ImageCheck } from './image-check';
export { readImageFacts, type ImageFacts, type ResolvedBase } from './image-facts';
export { countBySeverity, detectKind, lintDefinition, lintFile, sniffKind, type LintResult } from './lint';
export { defaults, enforcement, loadPolicy, type LoadedPolicy } from './load';
export { chartParts, policyReport, readPolicy, staticManifest, type PolicyFiles, type PolicyReport } from './report';
export { repoPolicyFiles } from './repo-files';
export { RULES, ruleById, ruleDocPath } from './rules';
export { toSarif, SARIF_SCHEMA, type SarifFile } from './sarif';
export { parseSize, type Policy } from './schema';
export { applyFix } from './text';
export type { LintKind, RuleMeta } from './types';
