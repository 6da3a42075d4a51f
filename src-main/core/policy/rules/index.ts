/** Every rule, in id order: the single list that linting, the docs, SARIF and the policy schema read. */
import type { RuleSeverity } from '../../../../src-shared/contract/policy';
import type { LintKind, Rule, RuleMeta } from '../types';
import {
  composeHostNamespace,
  composeHostNetwork,
  composeImageTag,
  composePrivileged,
  composeSecretEnv,
} from './compose';
import { addInsteadOfCopy, addWithoutChecksum, copyFromUnknownStage } from './dockerfile-files';
import { baseDigest, baseLatest, baseNotAllowed, baseUntagged, digestRequired } from './dockerfile-images';
import { npmInstall, npmUnpinned, pipCache, pipUnpinned, prohibitedPackage } from './dockerfile-lang-packages';
import {
  apkCache,
  apkUnpinned,
  aptListsKept,
  aptRecommends,
  aptUnpinned,
  dnfClean,
  installNotInteractive,
} from './dockerfile-os-packages';
import { pipeToShell, sudo } from './dockerfile-run';
import { secretName, secretValue } from './dockerfile-secrets';
import {
  invalidExpose,
  missingHealthcheck,
  relativeWorkdir,
  repeatedCommand,
  rootUser,
  shellFormCommand,
} from './dockerfile-stages';
import { helmValuesImage, kustomizeImageLatest, kustomizeImageNoTag } from './helm-kustomize';
import { k8sHostNamespaces, k8sImageTag, k8sLimits, k8sPrivileged, k8sRunAsNonRoot } from './kubernetes';

/** Not a check of its own: the parser's and YAML reader's errors, reported under one id. */
export const SYNTAX_RULE: RuleMeta = {
  id: 'GV0001',
  name: 'syntax',
  title: 'The definition does not parse',
  description:
    'The Dockerfile or YAML file has a syntax error, so the other rules see only part of it (or nothing) ' +
    "and a build would fail. The message is the parser's.",
  kind: 'any',
  severity: 'error',
  message: '{message}',
  fixable: false,
};

export const DOCKERFILE_RULES: Array<Rule<'dockerfile'>> = [
  baseLatest,
  baseUntagged,
  baseDigest,
  baseNotAllowed,
  digestRequired,
  rootUser,
  addInsteadOfCopy,
  addWithoutChecksum,
  copyFromUnknownStage,
  sudo,
  pipeToShell,
  installNotInteractive,
  aptRecommends,
  aptListsKept,
  aptUnpinned,
  apkCache,
  apkUnpinned,
  dnfClean,
  pipCache,
  pipUnpinned,
  npmInstall,
  npmUnpinned,
  prohibitedPackage,
  relativeWorkdir,
  shellFormCommand,
  repeatedCommand,
  invalidExpose,
  missingHealthcheck,
  secretName,
  secretValue,
];

export const COMPOSE_RULES: Array<Rule<'compose'>> = [
  composePrivileged,
  composeHostNetwork,
  composeHostNamespace,
  composeImageTag,
  composeSecretEnv,
];

export const KUBERNETES_RULES: Array<Rule<'kubernetes'>> = [
  k8sPrivileged,
  k8sHostNamespaces,
  k8sLimits,
  k8sRunAsNonRoot,
  k8sImageTag,
];

export const KUSTOMIZE_RULES: Array<Rule<'kustomize'>> = [kustomizeImageLatest, kustomizeImageNoTag];

export const HELM_VALUES_RULES: Array<Rule<'helm-values'>> = [helmValuesImage];

export function rulesFor<K extends LintKind>(kind: K): Array<Rule<K>> {
  const lists: { [L in LintKind]: Array<Rule<L>> } = {
    dockerfile: DOCKERFILE_RULES,
    compose: COMPOSE_RULES,
    kubernetes: KUBERNETES_RULES,
    kustomize: KUSTOMIZE_RULES,
    'helm-values': HELM_VALUES_RULES,
  };
  return lists[kind] as Array<Rule<K>>;
}

/** Metadata only (no checks), sorted by id. */
export const RULES: RuleMeta[] = [
  SYNTAX_RULE,
  ...DOCKERFILE_RULES,
  ...COMPOSE_RULES,
  ...KUBERNETES_RULES,
  ...KUSTOMIZE_RULES,
  ...HELM_VALUES_RULES,
]
  .map(({ id, name, title, description, kind, severity, message, fixable, policy }) => ({
    id,
    name,
    title,
    description,
    kind,
    severity,
    message,
    fixable,
    ...(policy ? { policy } : {}),
  }))
  .sort((a, b) => (a.id < b.id ? -1 : 1));

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}

export const RULE_DEFAULTS: Record<string, Exclude<RuleSeverity, 'off'>> = Object.fromEntries(
  RULES.map((r) => [r.id, r.severity]),
);

/** Where a rule's page is, relative to the repository root. */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
