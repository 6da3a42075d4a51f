/**
 * Listens for commits and queues the automatic builds their repository's `.govc/triggers.yaml` asks for
 * (read at that commit, so the rules that came with a change apply to it).
 */
import type { Logger } from 'pino';
import type { EventBus, Subscription } from '../events/bus';
import type { RepoService } from '../git/service';
import { treeOf } from './context';
import { parseTriggers, plannedBuilds, TRIGGERS_FILE, TriggersError, type PlannedBuild } from './triggers';

export interface CommitTriggersOptions {
  bus: EventBus;
  repos: RepoService;
  logger?: Logger;
  enqueue(repo: string, planned: PlannedBuild, commit: { hash: string; branch: string }): Promise<void>;
}

export class CommitTriggers {
  private subscription: Subscription | undefined;

  constructor(private readonly options: CommitTriggersOptions) {
    this.listen();
  }

  close(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  private listen(): void {
    this.subscription = this.options.bus.subscribe(
      async (event) => {
        if (event.type !== 'repo.commit' || event.repo === undefined || event.data.branch === null) return;
        try {
          await this.onCommit(event.repo, event.data.hash, event.data.branch, event.data.changed);
        } catch (err) {
          const level = err instanceof TriggersError ? 'warn' : 'error';
          this.options.logger?.[level](
            { err, repo: event.repo, commit: event.data.hash },
            'automatic build not queued',
          );
        }
      },
      {
        types: ['repo.commit'],
        // A missed commit only misses its automatic build; keep listening for the next ones.
        onDropped: (reason) => {
          this.options.logger?.warn({ reason }, 'build triggers stopped hearing commits; listening again');
          if (this.subscription) this.listen();
        },
      },
    );
  }

  private async onCommit(repoId: string, hash: string, branch: string, changed: string[]): Promise<void> {
    const repo = await this.options.repos.get(repoId);
    const tree = await treeOf(repo, { commit: hash });
    const file = tree.files.get(TRIGGERS_FILE);
    if (!file) return; // no rules file: automatic builds are off (docs/builds.md says why)
    const rules = parseTriggers((await tree.readBlob(file.oid)).toString('utf8'));
    for (const planned of await plannedBuilds(tree, rules, { repo: repoId, hash, branch, changed })) {
      await this.options.enqueue(repoId, planned, { hash, branch });
    }
  }
}
