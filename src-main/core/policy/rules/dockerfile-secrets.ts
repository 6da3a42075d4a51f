/** Secrets in image metadata: ENV, ARG and LABEL values end up in the image config or its history. */
import type { SourceRange } from '../../../../src-shared/contract/definitions';
import { findSecretValue, isSecretName } from '../secrets';
import { findOnLines, fromDockerfile, lineSpan } from '../text';
import { defineRule } from '../types';
import type { DockerfileInput } from '../types';
import { runs } from './run-commands';

interface Entry {
  kind: 'ENV' | 'ARG' | 'LABEL';
  key: string;
  value: string | undefined;
  range: { startLine: number; endLine: number; startColumn: number; endColumn: number };
}

function entries(input: DockerfileInput): Entry[] {
  const out: Entry[] = [];
  const stages = input.parsed.dockerfile.stages;
  for (const g of input.parsed.dockerfile.globalArgs)
    out.push({ kind: 'ARG', key: g.name, value: g.default, range: g.range });
  for (const s of stages) {
    for (const i of s.instructions) {
      if (i.kind === 'ENV' || i.kind === 'LABEL')
        for (const p of i.pairs) out.push({ kind: i.kind, key: p.key, value: p.value, range: i.range });
      if (i.kind === 'ARG')
        for (const a of i.args) out.push({ kind: 'ARG', key: a.name, value: a.default, range: i.range });
    }
  }
  return out;
}

function near(input: DockerfileInput, r: Entry['range'], text: string): SourceRange {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = findOnLines(input.lines, r.startLine, r.endLine, new RegExp(escaped));
  return at ? lineSpan(at.line, at.column, text.length) : fromDockerfile(r);
}

/** A value that only refers to a secret (a variable, a mounted file) holds none. */
function refersOnly(value: string | undefined): boolean {
  const v = (value ?? '').replace(/^["']|["']$/g, '');
  return /^\$\{?\w+\}?$/.test(v) || v.startsWith('/run/secrets/');
}

export const secretName = defineRule({
  id: 'GV1070',
  name: 'secret-in-arg-env-label',
  title: 'A secret is passed through ARG, ENV or LABEL',
  description:
    'ENV and LABEL values are stored in the image config, readable by anyone who can pull the image; ARG ' +
    'values given with --build-arg show in `docker history`. A name like PASSWORD, TOKEN, SECRET or API_KEY ' +
    'says a secret goes there. Use a secret mount (`RUN --mount=type=secret,id=…`) at build time and ' +
    'runtime secrets (Compose secrets, Kubernetes Secrets) for the container. Names that point at a secret ' +
    '(`*_FILE`, `*_PATH`) are fine.',
  kind: 'dockerfile',
  severity: 'warning',
  message: '{kind} {key} looks like it carries a secret; use a secret mount or runtime secret instead',
  fixable: false,
  check(input, report) {
    for (const e of entries(input)) {
      if (!isSecretName(e.key) || refersOnly(e.value)) continue;
      if (e.value !== undefined && e.value.replace(/^["']|["']$/g, '') === '' && e.kind !== 'ARG') continue;
      report({
        range: near(input, e.range, e.key),
        params: { kind: e.kind, key: e.key },
        anchors: [e.range.startLine],
      });
    }
  },
});

export const secretValue = defineRule({
  id: 'GV1071',
  name: 'secret-value',
  title: 'A credential is written into the Dockerfile',
  description:
    'Values shaped like credentials (AWS access key ids `AKIA…`, private key blocks, GitHub tokens `ghp_…`, ' +
    'Slack and Google API keys, or long random strings in ENV/ARG/LABEL) are in the Dockerfile, its git ' +
    'history and the image. Revoke the credential, then pass it as a build secret. RUN lines are checked ' +
    'for the specific shapes only, since commands are full of long words.',
  kind: 'dockerfile',
  severity: 'error',
  message: '{where} contains {secret}; revoke it and use a build secret',
  fixable: false,
  check(input, report) {
    for (const e of entries(input)) {
      const found = e.value === undefined ? undefined : findSecretValue(e.value);
      if (!found) continue;
      const text = e.value!.slice(found.index, found.index + found.length);
      report({
        range: near(input, e.range, text.split('\n')[0]!),
        params: { where: `${e.kind} ${e.key}`, secret: found.kind },
        anchors: [e.range.startLine],
      });
    }
    for (const r of runs(input)) {
      const found = findSecretValue(r.script, false);
      if (!found) continue;
      const text = r.script.slice(found.index, found.index + found.length).split('\n')[0]!;
      report({
        range: near(input, r.run.range, text),
        params: { where: 'RUN', secret: found.kind },
        anchors: [r.run.range.startLine],
      });
    }
  },
});
