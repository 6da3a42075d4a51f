/** Kubernetes workloads: pod and container security settings, resource limits, pinned images. */
import type { Document } from 'yaml';
import type { SourceRange } from '../../../../src-shared/contract/definitions';
import { POD_SPEC, isK8sObject } from '../../definitions/kubernetes';
import { isObj, pathRange, str, type Obj } from '../../definitions/yaml-text';
import { defineRule, type YamlInput } from '../types';
import { unpinnedReason } from './image-tags';

type Path = Array<string | number>;

interface Workload {
  kind: string;
  name: string;
  spec: Obj;
  at: (...p: Path) => SourceRange;
}

interface Container {
  workload: Workload;
  c: Obj;
  name: string;
  field: 'containers' | 'initContainers' | 'ephemeralContainers';
  at: (...p: Path) => SourceRange;
}

function get(value: unknown, path: Path): unknown {
  let v = value;
  for (const step of path) v = isObj(v) ? v[step] : Array.isArray(v) ? v[Number(step)] : undefined;
  return v;
}

function workloads(input: YamlInput): Workload[] {
  const out: Workload[] = [];
  const visit = (doc: Document.Parsed, value: unknown, path: Path): void => {
    if (!isK8sObject(value)) return;
    if (/List$/.test(value.kind) && Array.isArray(value.items)) {
      value.items.forEach((item, i) => visit(doc, item, [...path, 'items', i]));
      return;
    }
    const rel = POD_SPEC[value.kind];
    const spec = rel && get(value, rel);
    if (!rel || !isObj(spec)) return;
    const specPath = [...path, ...rel];
    const meta = isObj(value.metadata) ? value.metadata : {};
    out.push({
      kind: value.kind,
      name: str(meta.name) ?? '?',
      spec,
      at: (...p) => pathRange(input.yaml, doc, [...specPath, ...p]),
    });
  };
  for (const { doc, value } of input.yaml.docs) visit(doc, value, []);
  return out;
}

function containers(input: YamlInput): Container[] {
  return workloads(input).flatMap((w) =>
    (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((field) => {
      const list = w.spec[field];
      if (!Array.isArray(list)) return [];
      return list.flatMap((c, i) =>
        isObj(c)
          ? [{ workload: w, c, name: str(c.name) ?? String(i), field, at: (...p: Path) => w.at(field, i, ...p) }]
          : [],
      );
    }),
  );
}

const label = (c: Container) => `${c.workload.kind}/${c.workload.name} container ${c.name}`;

export const k8sPrivileged = defineRule({
  id: 'GV3001',
  name: 'k8s-privileged',
  title: 'Kubernetes container runs privileged',
  description:
    "`securityContext.privileged: true` gives the container all capabilities and the host's devices; an " +
    'escape is root on the node. Most workloads need neither; grant specific capabilities instead.',
  kind: 'kubernetes',
  severity: 'warning',
  message: '{container} runs privileged',
  fixable: false,
  check(input, report) {
    for (const c of containers(input)) {
      if (get(c.c, ['securityContext', 'privileged']) === true)
        report({ range: c.at('securityContext', 'privileged'), params: { container: label(c) } });
    }
  },
});

export const k8sHostNamespaces = defineRule({
  id: 'GV3002',
  name: 'k8s-host-namespace',
  title: "Pod shares the node's network, PID or IPC namespace",
  description:
    "`hostNetwork`, `hostPID` and `hostIPC` put the pod in the node's namespaces: it can bind node ports, " +
    'see every process, or read shared memory of other pods. Reserve them for node agents.',
  kind: 'kubernetes',
  severity: 'warning',
  message: '{workload} sets {field}: true',
  fixable: false,
  check(input, report) {
    for (const w of workloads(input)) {
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
        if (w.spec[field] === true) report({ range: w.at(field), params: { workload: `${w.kind}/${w.name}`, field } });
      }
    }
  },
});

export const k8sLimits = defineRule({
  id: 'GV3003',
  name: 'k8s-missing-limits',
  title: 'Kubernetes container has no resource limits',
  description:
    'Without `resources.limits` for memory and cpu a container can take the whole node, starving its ' +
    'neighbours, and a memory leak is only stopped by the node running out. Set both limits (and requests).',
  kind: 'kubernetes',
  severity: 'warning',
  message: '{container} has no {missing} limit',
  fixable: false,
  check(input, report) {
    for (const c of containers(input)) {
      if (c.field === 'ephemeralContainers') continue; // they cannot have resources
      const limits = get(c.c, ['resources', 'limits']);
      const missing = ['memory', 'cpu'].filter((k) => !isObj(limits) || limits[k] === undefined || limits[k] === null);
      if (missing.length > 0)
        report({
          range: c.at(...(isObj(c.c.resources) ? ['resources'] : ['name'])),
          params: { container: label(c), missing: missing.join(' or ') },
        });
    }
  },
});

export const k8sRunAsNonRoot = defineRule({
  id: 'GV3004',
  name: 'k8s-run-as-non-root',
  title: 'Kubernetes container may run as root',
  description:
    'Unless `runAsNonRoot: true` (or a non-zero `runAsUser`) is set on the container or the pod, the ' +
    "image's user decides, and many images run as root. With runAsNonRoot the kubelet refuses to start a " +
    'root container. `runAsUser: 0` is reported too.',
  kind: 'kubernetes',
  severity: 'warning',
  message: '{container} {problem}',
  fixable: false,
  check(input, report) {
    for (const c of containers(input)) {
      const own = (k: string) => get(c.c, ['securityContext', k]);
      const pod = (k: string) => get(c.workload.spec, ['securityContext', k]);
      const user = own('runAsUser') ?? pod('runAsUser');
      const nonRoot = own('runAsNonRoot') ?? pod('runAsNonRoot');
      const where = isObj(c.c.securityContext) ? ['securityContext'] : ['name'];
      if (user === 0)
        report({ range: c.at(...where), params: { container: label(c), problem: 'sets runAsUser: 0 (root)' } });
      else if (nonRoot !== true && !(typeof user === 'number' && user > 0)) {
        report({ range: c.at(...where), params: { container: label(c), problem: 'does not set runAsNonRoot: true' } });
      }
    }
  },
});

export const k8sImageTag = defineRule({
  id: 'GV3005',
  name: 'k8s-image-unpinned',
  title: 'Kubernetes container image is untagged or latest',
  description:
    'With `latest` (or no tag) each node pulls whatever was pushed last, `imagePullPolicy` defaults to ' +
    'Always, and a rollback does not roll back the image. Name a version tag or a digest.',
  kind: 'kubernetes',
  severity: 'warning',
  message: '{container}: image {image} {reason}',
  fixable: false,
  check(input, report) {
    for (const c of containers(input)) {
      const image = str(c.c.image);
      const reason = image === null ? undefined : unpinnedReason(image);
      if (reason) report({ range: c.at('image'), params: { container: label(c), image: image!, reason } });
    }
  },
});
