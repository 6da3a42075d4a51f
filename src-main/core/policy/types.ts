/**
 * Rules as data: each rule is an id, a title, a description, a documentation page, a default severity and
 * a message template, plus the check that applies it to one kind of definition. Checks report ranges and
 * template parameters; severity, mode and suppression are applied afterwards from the policy, so a check
 * never needs to know how it is configured.
 */
import type { SourceRange } from '../../../src-shared/contract/definitions';
import type { Fix, RuleSeverity } from '../../../src-shared/contract/policy';
import type { ParseResult } from '../build/dockerfile';
import type { YamlText } from '../definitions/yaml-text';
import type { Policy } from './schema';

/** What a file is linted as; `helm-values` is a chart's values file, `kustomize` a kustomization. */
export type LintKind = 'dockerfile' | 'compose' | 'kubernetes' | 'kustomize' | 'helm-values';

export interface RuleMeta {
  /** `GV` + four digits: 0xxx any file, 1xxx Dockerfile, 2xxx Compose, 3xxx Kubernetes, 4xxx Helm and Kustomize. */
  id: string;
  /** A short kebab-case name, for people who remember names better than numbers. */
  name: string;
  title: string;
  description: string;
  kind: LintKind | 'any';
  severity: Exclude<RuleSeverity, 'off'>;
  /** `{param}` placeholders are filled from what the check reports. */
  message: string;
  /** Whether some of its findings carry a fix. */
  fixable: boolean;
  /** Set for rules that only act when the policy file asks for something (allowed images…). */
  policy?: boolean;
}

export type Params = Record<string, string | number>;

export interface RawFinding {
  range: SourceRange;
  params: Params;
  fix?: Fix;
  /** Lines whose suppression comments also cover this finding (a Dockerfile instruction's first line). */
  anchors?: number[];
}

export type Report = (finding: RawFinding) => void;

export interface DockerfileInput {
  path: string;
  text: string;
  /** Physical lines, without line breaks. */
  lines: string[];
  parsed: ParseResult;
  policy: Policy;
}

export interface YamlInput {
  path: string;
  text: string;
  yaml: YamlText;
  policy: Policy;
}

export type InputOf<K extends LintKind> = K extends 'dockerfile' ? DockerfileInput : YamlInput;

export interface Rule<K extends LintKind = LintKind> extends RuleMeta {
  kind: K;
  check(input: InputOf<K>, report: Report): void;
}

export function defineRule<K extends LintKind>(rule: Rule<K> & { kind: K }): Rule<K> {
  return rule;
}

/** Fills `{name}` placeholders; an unknown one stays as written so a mistake shows in the message. */
export function formatMessage(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : all,
  );
}
