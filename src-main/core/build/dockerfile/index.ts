/** The Dockerfile frontend's public surface, for the planner and executor. */
export { parseDockerfile, parseTrigger, type ParseResult, type TriggerResult } from './parse';
export {
  resolveStage,
  unusedBuildArgs,
  type ResolveOptions,
  type ResolvedInstruction,
  type ResolvedStage,
} from './expand';
export { planStages, isImageReference, type GraphOptions, type StageGraph, type StageNode } from './graph';
export { hostPlatform, PLATFORM_ARGS, PROXY_ARGS, type ScopeOptions } from './scope';
export { processWord, type EnvLookup, type WordResult, ShellSyntaxError } from './shell-lexer';
export { WARNING_RULES, type DockerfileWarning, type WarningRule } from './problems';
export type * from './types';
