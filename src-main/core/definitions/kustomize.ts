/**
 * Kustomizations: what they pull in (resources, components), the image overrides they apply, and the
 * mistakes `kustomize build` would stop at.
 */
import type { Diagnostic, SummaryOf } from '../../../src-shared/contract/definitions';
import { isObj, parseYaml, pathRange, str, strings } from './yaml-text';

type Summary = SummaryOf<'kustomize'>;

const KNOWN_API = /^kustomize\.config\.k8s\.io\/v1(alpha1|beta1)$/;

export function analyzeKustomize(text: string): { summary: Summary; diagnostics: Diagnostic[] } {
  const y = parseYaml(text);
  const summary: Summary = { namespace: null, resources: [], components: [], images: [], patches: 0, patchFiles: [] };
  const diagnostics = [...y.diagnostics];
  const first = y.docs[0];
  if (!first || first.value === undefined || first.value === null) return { summary, diagnostics };
  const { doc, value } = first;
  const note = (
    severity: Diagnostic['severity'],
    path: Array<string | number>,
    rule: string,
    message: string,
  ): void => {
    diagnostics.push({ severity, message, range: pathRange(y, doc, path), rule, source: 'govc' });
  };
  if (!isObj(value)) {
    note('error', [], 'kustomize/not-a-mapping', 'A kustomization must be a mapping');
    return { summary, diagnostics };
  }
  const api = str(value.apiVersion);
  if (api !== null && !KNOWN_API.test(api))
    note('warning', ['apiVersion'], 'kustomize/api-version', `Unknown kustomization apiVersion ${api}`);
  for (const field of ['resources', 'components', 'bases'] as const) {
    if (value[field] !== undefined && !Array.isArray(value[field]))
      note('error', [field], 'kustomize/type', `${field} must be a list of paths`);
  }
  if (value.bases !== undefined)
    note('warning', ['bases'], 'kustomize/deprecated', 'bases is deprecated; list them under resources');
  summary.namespace = str(value.namespace);
  summary.resources = [...strings(value.resources), ...strings(value.bases)];
  summary.components = strings(value.components);
  if (Array.isArray(value.images)) {
    value.images.forEach((img, i) => {
      const name = isObj(img) ? str(img.name) : null;
      if (!isObj(img) || name === null) {
        note('error', ['images', i], 'kustomize/required', 'An image override needs a name');
        return;
      }
      summary.images.push({ name, newName: str(img.newName), newTag: str(img.newTag), digest: str(img.digest) });
    });
  }
  for (const field of ['patches', 'patchesStrategicMerge', 'patchesJson6902'] as const) {
    const list = value[field];
    if (!Array.isArray(list)) continue;
    summary.patches += list.length;
    for (const p of list) {
      // patchesStrategicMerge entries are file paths or inline patches; an inline one spans lines.
      const file = isObj(p) ? str(p.path) : field === 'patchesStrategicMerge' ? str(p) : null;
      if (file !== null && !file.includes('\n')) summary.patchFiles.push(file);
    }
  }
  return { summary, diagnostics };
}
