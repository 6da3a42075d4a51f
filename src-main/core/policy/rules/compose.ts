/** Compose services: no privileged containers, no host namespaces, pinned images, no literal secrets. */
import type { Document } from 'yaml';
import { isObj, pathRange, str, type Obj } from '../../definitions/yaml-text';
import { findSecretValue, isSecretName } from '../secrets';
import { defineRule, type Report, type YamlInput } from '../types';
import { unpinnedReason } from './image-tags';

type Path = Array<string | number>;

function services(
  input: YamlInput,
  each: (name: string, svc: Obj, doc: Document.Parsed, at: (...p: Path) => ReturnType<typeof pathRange>) => void,
): void {
  for (const { doc, value } of input.yaml.docs) {
    if (!isObj(value) || !isObj(value.services)) continue;
    for (const [name, svc] of Object.entries(value.services)) {
      if (isObj(svc)) each(name, svc, doc, (...p) => pathRange(input.yaml, doc, ['services', name, ...p]));
    }
  }
}

export const composePrivileged = defineRule({
  id: 'GV2001',
  name: 'compose-privileged',
  title: 'Compose service runs privileged',
  description:
    '`privileged: true` gives the container every capability and access to all host devices: a process ' +
    'that escapes it is root on the host. Grant the specific capabilities (`cap_add`) or devices it needs.',
  kind: 'compose',
  severity: 'warning',
  message: 'Service {service} runs privileged',
  fixable: false,
  check(input, report) {
    services(input, (name, svc, _doc, at) => {
      if (svc.privileged === true || svc.privileged === 'true')
        report({ range: at('privileged'), params: { service: name } });
    });
  },
});

export const composeHostNetwork = defineRule({
  id: 'GV2002',
  name: 'compose-host-network',
  title: 'Compose service uses the host network',
  description:
    '`network_mode: host` removes network isolation: the container sees every host interface and can bind ' +
    'any host port, and published ports no longer apply. Use a bridge network and publish the ports it serves.',
  kind: 'compose',
  severity: 'warning',
  message: 'Service {service} uses the host network',
  fixable: false,
  check(input, report) {
    services(input, (name, svc, _doc, at) => {
      if (str(svc.network_mode) === 'host') report({ range: at('network_mode'), params: { service: name } });
    });
  },
});

export const composeHostNamespace = defineRule({
  id: 'GV2003',
  name: 'compose-host-namespace',
  title: "Compose service shares the host's PID or IPC namespace",
  description:
    "`pid: host` lets the container see and signal every host process; `ipc: host` shares the host's " +
    'shared memory. Both undo isolation that the application almost never needs.',
  kind: 'compose',
  severity: 'warning',
  message: 'Service {service} uses {field}: host',
  fixable: false,
  check(input, report) {
    services(input, (name, svc, _doc, at) => {
      for (const field of ['pid', 'ipc'] as const) {
        if (str(svc[field]) === 'host') report({ range: at(field), params: { service: name, field } });
      }
    });
  },
});

export const composeImageTag = defineRule({
  id: 'GV2004',
  name: 'compose-image-unpinned',
  title: 'Compose service image is untagged or latest',
  description:
    'A service that runs `redis` or `redis:latest` gets whatever was pushed last each time it is pulled, so ' +
    'two hosts can run different versions. Name a version tag or a digest. Services with `build:` are ' +
    'exempt: their `image:` names what is built.',
  kind: 'compose',
  severity: 'warning',
  message: 'Service {service}: image {image} {reason}',
  fixable: false,
  check(input, report) {
    services(input, (name, svc, _doc, at) => {
      const image = str(svc.image);
      if (image === null || svc.build !== undefined) return;
      const reason = unpinnedReason(image);
      if (reason) report({ range: at('image'), params: { service: name, image, reason } });
    });
  },
});

export const composeSecretEnv = defineRule({
  id: 'GV2005',
  name: 'compose-secret-in-environment',
  title: 'Compose service has a secret written in its environment',
  description:
    'A literal password or token under `environment:` is in the repository and its history, and in ' +
    '`docker inspect`. Interpolate it from the shell or an untracked .env (`${DB_PASSWORD}`), or use ' +
    'Compose `secrets:`.',
  kind: 'compose',
  severity: 'warning',
  message: 'Service {service}: {key} {problem}',
  fixable: false,
  check(input, report) {
    services(input, (name, svc, _doc, at) => {
      const env = svc.environment;
      const pairs: Array<{ key: string; value: string | null; path: Path }> = [];
      if (isObj(env))
        for (const [k, v] of Object.entries(env)) pairs.push({ key: k, value: str(v), path: ['environment', k] });
      if (Array.isArray(env)) {
        env.forEach((item, i) => {
          const text = str(item);
          if (text === null) return;
          const eq = text.indexOf('=');
          pairs.push({
            key: eq < 0 ? text : text.slice(0, eq),
            value: eq < 0 ? null : text.slice(eq + 1),
            path: ['environment', i],
          });
        });
      }
      for (const p of pairs) checkPair(report, name, p.key, p.value, at(...p.path));
    });
  },
});

function checkPair(
  report: Report,
  service: string,
  key: string,
  value: string | null,
  range: ReturnType<typeof pathRange>,
): void {
  if (value === null || value === '' || /^\$\{?\w+/.test(value)) return;
  const found = findSecretValue(value);
  if (found) report({ range, params: { service, key, problem: `holds ${found.kind}` } });
  else if (isSecretName(key)) report({ range, params: { service, key, problem: 'is a secret written in the file' } });
}
