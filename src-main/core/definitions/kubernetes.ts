/**
 * Kubernetes manifests: every object of a (multi-document) file with its containers, and the fields the
 * API server would refuse the object without. Lists (`kind: List`) are unfolded into their items.
 */
import type { Document } from 'yaml';
import type { Diagnostic, SummaryOf } from '../../../src-shared/contract/definitions';
import { isObj, locate, nodeRange, parseYaml, pathRange, str, type Obj, type YamlText } from './yaml-text';

type Summary = SummaryOf<'kubernetes'>;
type K8sObject = Summary['objects'][number];
type Container = K8sObject['containers'][number];
type Path = Array<string | number>;

/** Where each workload kind keeps its pod spec (the policy rules read pod specs through it too). */
export const POD_SPEC: Readonly<Record<string, Path>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Whether a value looks like a Kubernetes object: a mapping with string apiVersion and kind. */
export function isK8sObject(v: unknown): v is Obj & { apiVersion: string; kind: string } {
  return isObj(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';
}

/**
 * `patch`: the file is a Kustomize patch, a partial object merged into another, so the fields a whole object
 * needs (name, pod spec, containers' names and images) are not required of it.
 */
export function analyzeKubernetes(
  text: string,
  y: YamlText = parseYaml(text),
  options: { patch?: boolean } = {},
): { summary: Summary; diagnostics: Diagnostic[] } {
  const summary: Summary = { objects: [] };
  const diagnostics = [...y.diagnostics];
  const report = (doc: Document.Parsed, path: Path, rule: string, message: string): void => {
    diagnostics.push({ severity: 'error', message, range: pathRange(y, doc, path), rule, source: 'govc' });
  };
  const requireWhole: typeof report = options.patch ? () => undefined : report;
  const visit = (doc: Document.Parsed, index: number, value: unknown, path: Path): void => {
    if (!isObj(value)) {
      report(doc, path, 'kubernetes/not-an-object', 'A Kubernetes manifest document must be a mapping');
      return;
    }
    if (typeof value.apiVersion !== 'string') report(doc, path, 'kubernetes/required', 'Missing apiVersion');
    if (typeof value.kind !== 'string') report(doc, path, 'kubernetes/required', 'Missing kind');
    if (!isK8sObject(value)) return;
    if (/List$/.test(value.kind) && Array.isArray(value.items)) {
      value.items.forEach((item, i) => visit(doc, index, item, [...path, 'items', i]));
      return;
    }
    const metadata = isObj(value.metadata) ? value.metadata : {};
    if (str(metadata.name) === null && str(metadata.generateName) === null) {
      requireWhole(doc, [...path, 'metadata'], 'kubernetes/required', `${value.kind} needs metadata.name`);
    }
    const object: K8sObject = {
      apiVersion: value.apiVersion,
      kind: value.kind,
      name: str(metadata.name),
      namespace: str(metadata.namespace),
      document: index,
      containers: [],
      range: nodeRange(y, locate(doc, path).node),
    };
    const specPath = POD_SPEC[value.kind];
    if (specPath) object.containers = containersOf(y, doc, value, path, specPath, requireWhole);
    summary.objects.push(object);
  };
  for (const { doc, value, index } of y.docs) {
    if (value === undefined || value === null) continue; // an empty document (or one with syntax errors)
    visit(doc, index, value, []);
  }
  return { summary, diagnostics };
}

function get(value: unknown, path: Path): unknown {
  let v = value;
  for (const step of path) v = isObj(v) ? v[step] : Array.isArray(v) ? v[Number(step)] : undefined;
  return v;
}

/** The containers of a workload `object` found at `objectPath` in the document; its pod spec is at `specPath` within it. */
function containersOf(
  y: YamlText,
  doc: Document.Parsed,
  object: Obj,
  objectPath: Path,
  relativeSpecPath: Path,
  report: (doc: Document.Parsed, path: Path, rule: string, message: string) => void,
): Container[] {
  const spec = get(object, relativeSpecPath);
  const specPath = [...objectPath, ...relativeSpecPath];
  const kind = String(object.kind);
  if (!isObj(spec)) {
    report(
      doc,
      specPath.slice(0, -1),
      'kubernetes/required',
      `${kind} needs a pod spec at ${relativeSpecPath.join('.')}`,
    );
    return [];
  }
  const out: Container[] = [];
  for (const [field, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    const list = spec[field];
    if (list === undefined && init) continue;
    if (!Array.isArray(list) || (!init && list.length === 0)) {
      report(doc, [...specPath, field], 'kubernetes/required', `${kind} needs at least one container in ${field}`);
      continue;
    }
    list.forEach((c, i) => {
      const path = [...specPath, field, i];
      const container = isObj(c) ? c : {};
      const name = str(container.name);
      const image = str(container.image);
      if (name === null) report(doc, path, 'kubernetes/required', `A container in ${field} needs a name`);
      if (image === null) report(doc, path, 'kubernetes/required', `Container ${name ?? i} needs an image`);
      out.push({ name, image, init, ports: portsOf(container.ports), range: nodeRange(y, locate(doc, path).node) });
    });
  }
  return out;
}

function portsOf(ports: unknown): Container['ports'] {
  if (!Array.isArray(ports)) return [];
  return ports.filter(isObj).map((p) => ({
    port: typeof p.containerPort === 'number' ? p.containerPort : null,
    protocol: str(p.protocol) ?? 'TCP',
    name: str(p.name),
  }));
}
