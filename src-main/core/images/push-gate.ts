/**
 * The policy at the door out: before `images.push`, an image the build service built from a repository is
 * judged again under that repository's policy as it is now (its HEAD), with the checks a build runs (the
 * Dockerfile's, then the image's). An image built while the policy allowed it, in warn mode or before a rule
 * was tightened, cannot leave once the policy blocks it. Images that no recorded build produced (pulled,
 * imported, built by `govc build` on a folder) have no repository and so no policy: they are not gated.
 */
import { GovcError } from '../../../src-shared/errors';
import type { BuildService } from '../builds/service';
import { treeOf } from '../builds/context';
import { checkImage, readTreePolicy } from '../builds/policy-gate';
import type { ContentStore } from '../build/store/content-store';
import type { RepoService } from '../git/service';
import { checkBeforeBuild } from '../policy';

export interface PushGate {
  store: ContentStore;
  builds: BuildService;
  repos: RepoService;
}

/** Throws POLICY_BLOCKED, naming the rule, when the image's repository's policy blocks it. */
export async function checkPush(gate: PushGate, localRef: string): Promise<void> {
  const descriptor = gate.store.resolve(localRef) ?? gate.store.resolve(`${localRef}:latest`);
  if (!descriptor) return; // the push itself says the image does not exist
  const build = await gate.builds.builtAs(descriptor.digest);
  if (!build || !gate.repos.has(build.repo)) return;
  const repo = await gate.repos.get(build.repo);
  const loaded = await readTreePolicy(await treeOf(repo, { commit: repo.head }));
  // The Dockerfile as built: a work-tree build's uncommitted text is gone, its commit's is the nearest.
  const built = await treeOf(repo, { commit: build.commit });
  const entry = built.files.get(build.dockerfile);
  const text = entry ? (await built.readBlob(entry.oid)).toString('utf8') : '';
  const dockerfile = { path: build.dockerfile, text };
  const before = checkBeforeBuild({ path: dockerfile.path, content: text }, loaded);
  // As in a build: without a policy file the defaults judge the Dockerfile only, not the image.
  const image =
    loaded.kind === 'defaults'
      ? undefined
      : await checkImage(
          {
            store: gate.store,
            digest: descriptor.digest,
            size: build.size ?? 0,
            dockerfile,
            args: build.args,
            target: build.target,
          },
          loaded.policy,
        );
  if (!before.blocked && !image?.blocked) return;
  const blocking = [...before.blocking, ...(image?.blocking ?? [])].map((f) => ({
    rule: f.ruleId,
    line: f.range.start.line,
    message: f.message,
  }));
  const first = blocking[0];
  const why = first
    ? `${first.rule} at ${build.dockerfile}:${first.line}: ${first.message}`
    : before.blocked
      ? `${loaded.path} does not load`
      : `the image is above the policy's image.maxSize`;
  throw new GovcError(
    'POLICY_BLOCKED',
    `The policy of repository ${build.repo} blocks pushing ${localRef} (built by ${build.id}): ${why}`,
    { repo: build.repo, build: build.id, digest: descriptor.digest, blocking },
  );
}
