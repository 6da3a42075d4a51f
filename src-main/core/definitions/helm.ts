/**
 * Helm charts: one definition made of Chart.yaml, its values*.yaml files and templates/. Templates are Go
 * templates, not YAML, so they are listed, not parsed; images are read from the values, where charts name
 * them as `image: repo:tag` or as `{registry?, repository, tag?, digest?}` maps.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostic, SummaryOf } from '../../../src-shared/contract/definitions';
import { isObj, keyText, nodeRange, parseYaml, pathRange, str, type YamlText } from './yaml-text';

type Summary = SummaryOf<'helm'>;
type Image = Summary['images'][number];

export interface ChartFiles {
  chart: string;
  values: Array<{ path: string; text: string }>;
  templates: string[];
}

/** SemVer 2, as Helm requires for a chart's version. */
const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function analyzeHelm(files: ChartFiles): { summary: Summary; diagnostics: Diagnostic[] } {
  const y = parseYaml(files.chart);
  const summary: Summary = {
    apiVersion: null,
    name: null,
    version: null,
    appVersion: null,
    description: null,
    chartType: null,
    dependencies: [],
    values: files.values.map((v) => v.path),
    templates: files.templates,
    images: [],
  };
  const diagnostics = [...y.diagnostics];
  const first = y.docs[0];
  if (first && first.value !== undefined) {
    const { doc, value } = first;
    const note = (
      severity: Diagnostic['severity'],
      path: Array<string | number>,
      rule: string,
      message: string,
    ): void => {
      diagnostics.push({ severity, message, range: pathRange(y, doc, path), rule, source: 'govc' });
    };
    const chart = isObj(value) ? value : {};
    if (!isObj(value)) note('error', [], 'helm/not-a-mapping', 'Chart.yaml must be a mapping');
    for (const field of ['apiVersion', 'name', 'version'] as const) {
      if (str(chart[field]) === null) note('error', [], 'helm/required', `Chart.yaml needs ${field}`);
    }
    summary.apiVersion = str(chart.apiVersion);
    summary.name = str(chart.name);
    summary.version = str(chart.version);
    summary.appVersion = str(chart.appVersion);
    summary.description = str(chart.description);
    summary.chartType = str(chart.type);
    if (summary.apiVersion !== null && summary.apiVersion !== 'v1' && summary.apiVersion !== 'v2') {
      note('error', ['apiVersion'], 'helm/api-version', `Chart apiVersion must be v1 or v2, not ${summary.apiVersion}`);
    }
    if (summary.version !== null && !SEMVER.test(summary.version)) {
      note('warning', ['version'], 'helm/version', `Chart version ${summary.version} is not SemVer 2`);
    }
    if (summary.chartType !== null && summary.chartType !== 'application' && summary.chartType !== 'library') {
      note('error', ['type'], 'helm/type', `Chart type must be application or library, not ${summary.chartType}`);
    }
    if (Array.isArray(chart.dependencies)) {
      chart.dependencies.forEach((d, i) => {
        const dep = isObj(d) ? d : {};
        const name = str(dep.name);
        if (name === null) {
          note('error', ['dependencies', i], 'helm/required', 'A chart dependency needs a name');
          return;
        }
        summary.dependencies.push({
          name,
          version: str(dep.version),
          repository: str(dep.repository),
          condition: str(dep.condition),
          alias: str(dep.alias),
        });
      });
    }
  }
  for (const v of files.values) {
    const vy = parseYaml(v.text);
    diagnostics.push(...vy.diagnostics.map((d) => ({ ...d, file: v.path })));
    for (const { doc } of vy.docs) if (doc.contents) imagesIn(vy, doc.contents, [], v.path, summary.images);
  }
  return { summary, diagnostics };
}

function scalar(node: unknown): string | null {
  return isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : null;
}

function imagesIn(y: YamlText, node: Node, path: string[], file: string, out: Image[]): void {
  if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item && typeof item === 'object') imagesIn(y, item as Node, [...path, String(i)], file, out);
    });
    return;
  }
  if (!isMap(node)) return;
  const fields = new Map<string, { key: Node; value: unknown }>();
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const k = keyText(pair.key);
    if (k !== undefined) fields.set(k, { key: pair.key as Node, value: pair.value });
  }
  const repository = scalar(fields.get('repository')?.value);
  if (repository !== null && repository !== '') {
    const registry = scalar(fields.get('registry')?.value);
    const tag = scalar(fields.get('tag')?.value);
    const digest = scalar(fields.get('digest')?.value);
    const image = `${registry ? `${registry}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    out.push({ image, file, key: path.join('.'), range: nodeRange(y, fields.get('repository')!.value as Node) });
  }
  for (const [k, { value }] of fields) {
    const text = k === 'image' ? scalar(value) : null;
    if (text !== null && text !== '')
      out.push({ image: text, file, key: [...path, k].join('.'), range: nodeRange(y, value as Node) });
    else if (value && typeof value === 'object') imagesIn(y, value as Node, [...path, k], file, out);
  }
}
