/**
 * The policy at the door out: before `images.push`, an image the build service built from a repository is
 * judged again under that repository's policy as it is now (its HEAD), with the checks a build runs (the
 * Dockerfile's, then the image's). An image built while the policy allowed it, in warn mode or before a rule
 * was tightened, cannot leave once the policy blocks it. Images that no recorded build produced (pulled,
 * imported, built by `govc build` on a folder) have no repository and so no policy: they are not gated.
 * A policy with `signing.required` also wants a verified signature by a trusted key (signing/).
 */
import { GovcError } from '../../../src-shared/errors';
import type { BuildService } from '../builds/service';
import { treeOf } from '../builds/context';
import { checkImage, readTreePolicy } from '../builds/policy-gate';
import type { ContentStore } from '../build/store/content-store';
import type { RepoService } from '../git/service';
import { checkBeforeBuild } from '../policy';
import type { SigningService } from '../signing/service';

export interface PushGate {
  store: ContentStore;
  builds: BuildService;
  repos: RepoService;
  signing: SigningService;
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
  if (!before.blocked && !image?.blocked) {
    if (loaded.kind !== 'defaults' && loaded.policy.signing.required)
      await checkSigned(
        gate.signing,
        loaded.policy.signing.keys,
        { localRef, repo: build.repo, build: build.id },
        descriptor.digest,
      );
    return;
  }
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

/** Throws POLICY_BLOCKED unless a signature of the image verifies and is by a key the policy trusts. */
async function checkSigned(
  signing: SigningService,
  keys: readonly string[],
  what: { localRef: string; repo: string; build: string },
  digest: string,
): Promise<void> {
  const signatures = await signing.signatures(digest, keys);
  if (signatures.some((s) => s.trusted)) return;
  const trusted = [...signing.trustedIds(keys)];
  const found =
    signatures.length === 0
      ? 'it has no signature'
      : `none of its ${signatures.length} signatures is by a trusted key and verifies`;
  throw new GovcError(
    'POLICY_BLOCKED',
    `The policy of repository ${what.repo} requires a signature on ${what.localRef} (built by ${what.build}) by ` +
      `${keys.length === 0 ? "this engine's key" : 'a key in signing.keys'}, and ${found}. ` +
      `Sign it with \`govc sign ${what.localRef}\` or POST /api/v1/images/sign {"ref": "${what.localRef}"}, then push again.`,
    {
      repo: what.repo,
      build: what.build,
      digest,
      blocking: [{ rule: 'signing.required' }],
      trusted_keys: trusted,
      signatures: signatures.map((s) => ({
        digest: s.artifact.digest,
        key_id: s.keyId,
        verified: s.verified,
        ...(s.reason === undefined ? {} : { reason: s.reason }),
      })),
    },
  );
}
