/**
 * The renderer's only door to the engine: everything else imports the contract's types and the link from
 * here, so a change in the contract shows up in one folder.
 */
import './zod-without-eval';

export { openEngineLink, type EngineHost, type EngineLink, type StreamState, type Transport } from './link';
export { describeFailure } from './errors';
export type {
  AnyEngineEvent,
  ApiServerStatus,
  EngineSettings,
  RequestInput,
  RequestOutput,
  SystemInfo,
} from '../../src-shared/contract';
export {
  isBuildEvent,
  isFinished,
  type ApiToken,
  type Build,
  type BuildCachePruned,
  type BuildCacheStats,
  type BuildComparison,
  type BuildEvent,
  type BuildLogs,
  type BuildRequest,
  type BuildSettings,
  type BuildStatus,
  type BuildStep,
  type BuildStepDiff,
  type CreatedToken,
  type Definition,
  type DockerfileDefinition,
  type TokenRole,
  type Webhook,
  type WebhookDelivery,
} from './builds';
export {
  errorCodeOf,
  pathsOf,
  type BranchSummary,
  type CommitDetail,
  type CommitSummary,
  type FileChange,
  type FileDiffSummary,
  type MergeResult,
  type RepoStatus,
  type RepoSummary,
  type TreeEntry,
} from './repos';
export {
  type DefinitionDiagnostic,
  type PolicyFinding,
  type PolicyFix,
  type PolicyReport,
  type SourceRange,
} from './diagnostics';
export {
  DEFINITION_KINDS,
  isDefinitionEvent,
  type DefinitionEdge,
  type DefinitionEvent,
  type DefinitionKind,
} from './definitions';
