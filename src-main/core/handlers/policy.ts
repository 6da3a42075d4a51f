import { enforcement, policyReport, readPolicy, repoPolicyFiles } from '../policy';
import type { Engine } from '../engine';
import type { Handlers } from './dispatch';

type PolicyRequests = Extract<keyof Handlers, `policy.${string}`>;

export function policyHandlers(engine: Engine): Pick<Handlers, PolicyRequests> {
  const files = (repo: string, ref: string | undefined, actor: string) => repoPolicyFiles(engine, repo, ref, actor);
  const source = (loaded: { kind: 'file' | 'defaults' | 'invalid'; path: string }, ref: string | undefined) => ({
    kind: loaded.kind,
    path: loaded.path,
    ref: ref ?? null,
  });
  return {
    'policy.get': async ({ repo, ref }, ctx) => {
      const loaded = await readPolicy(files(repo, ref, ctx.principal.id));
      return {
        source: source(loaded, ref),
        policy: loaded.policy,
        diagnostics: loaded.diagnostics,
        enforcement: enforcement(loaded.policy),
      };
    },
    'policy.report': async ({ repo, ref }, ctx) => {
      const report = await policyReport(files(repo, ref, ctx.principal.id));
      return {
        source: source(report.loaded, ref),
        policyDiagnostics: report.loaded.diagnostics,
        definitions: report.definitions,
        skipped: report.skipped,
        counts: report.counts,
        suppressed: report.suppressed,
        blocked: report.blocked,
        blockedBy: report.blockedBy,
      };
    },
  };
}
