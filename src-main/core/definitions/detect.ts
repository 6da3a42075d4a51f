/**
 * Which files are container definitions. Dockerfiles, Compose files, Kustomizations and Helm charts are
 * known by name; Kubernetes manifests only by content (YAML documents with apiVersion and kind), never
 * guessed from a path. Files that make up a Helm chart (values, templates) belong to the chart.
 */
import { isK8sObject } from './kubernetes';
import { parseYaml, type YamlText } from './yaml-text';

/** What a file's name says: a definition kind, a chart's Chart.yaml, YAML worth reading, or nothing. */
export type NameClass = 'dockerfile' | 'compose' | 'kustomize' | 'chart' | 'yaml' | null;

const DOCKERFILE = /^(?:(?:Dockerfile|dockerfile|Containerfile)(?:\..+)?|.+\.(?:Dockerfile|dockerfile))$/;
/** BuildKit reads `<name>.dockerignore` beside a Dockerfile: an ignore file, not a Dockerfile. */
const NOT_DOCKERFILE = /\.dockerignore$/;
const COMPOSE = /^(?:docker-)?compose(?:\.[^/]+)?\.ya?ml$/;
const KUSTOMIZATION = /^(?:kustomization\.ya?ml|Kustomization)$/;
const YAML = /\.ya?ml$/i;
const VALUES = /^values(?:[._-][^/]*)?\.ya?ml$/;

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function classifyName(path: string): NameClass {
  const name = baseName(path);
  if (DOCKERFILE.test(name) && !NOT_DOCKERFILE.test(name)) return 'dockerfile';
  if (COMPOSE.test(name)) return 'compose';
  if (KUSTOMIZATION.test(name)) return 'kustomize';
  if (name === 'Chart.yaml') return 'chart';
  if (YAML.test(name)) return 'yaml';
  return null;
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** Whether a path is part of the chart in `chartDir`: a values file at its root, or under templates/. */
export function isChartPart(path: string, chartDir: string): boolean {
  const prefix = chartDir === '' ? '' : `${chartDir}/`;
  if (!path.startsWith(prefix)) return false;
  const rest = path.slice(prefix.length);
  return rest.startsWith('templates/') || (!rest.includes('/') && VALUES.test(rest));
}

export function isValuesFile(path: string, chartDir: string): boolean {
  return isChartPart(path, chartDir) && !path.slice(chartDir === '' ? 0 : chartDir.length + 1).startsWith('templates/');
}

/** The chart a path belongs to: its nearest enclosing chart, when the path is one of that chart's parts. */
export function owningChart(path: string, charts: ReadonlySet<string>): string | undefined {
  if (charts.size === 0) return undefined;
  for (let dir = dirName(path); ; dir = dirName(dir)) {
    if (charts.has(dir)) return isChartPart(path, dir) ? dir : undefined;
    if (dir === '') return undefined;
  }
}

/** `apiVersion:` and `kind:` keys anywhere: a cheap test that spares parsing most other YAML files. */
const API_VERSION = /^[ \t-]*["']?apiVersion["']?[ \t]*:/m;
const KIND = /^[ \t-]*["']?kind["']?[ \t]*:/m;
/** The same keys at the top level of a document. */
const TOP_API_VERSION = /^["']?apiVersion["']?[ \t]*:/m;
const TOP_KIND = /^["']?kind["']?[ \t]*:/m;

/**
 * The parsed file when it is a Kubernetes manifest: a document that is a mapping with apiVersion and kind.
 * A file with YAML errors counts when those keys start a line, so that breaking a manifest in the editor
 * shows its errors instead of hiding the definition.
 */
export function kubernetesContent(text: string): YamlText | undefined {
  if (!API_VERSION.test(text) || !KIND.test(text)) return undefined;
  const y = parseYaml(text);
  if (y.diagnostics.some((d) => d.severity === 'error')) {
    return TOP_API_VERSION.test(text) && TOP_KIND.test(text) ? y : undefined;
  }
  return y.docs.some((d) => isK8sObject(d.value)) ? y : undefined;
}
