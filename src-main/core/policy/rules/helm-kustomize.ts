/**
 * Helm charts and Kustomizations, linted where they can be read honestly without rendering anything: the
 * images a chart's values name, and a kustomization's `images:` overrides. (A chart's templates without
 * template syntax are plain manifests, linted by the Kubernetes rules.)
 */
import { isObj, pathRange, str } from '../../definitions/yaml-text';
import { defineRule } from '../types';
import { unpinnedReason } from './image-tags';

type Path = Array<string | number>;

function kustomizeImages(
  value: unknown,
  each: (entry: Record<string, unknown>, name: string, path: Path) => void,
): void {
  if (!isObj(value) || !Array.isArray(value.images)) return;
  value.images.forEach((entry, i) => {
    if (isObj(entry)) each(entry, str(entry.name) ?? `#${i + 1}`, ['images', i]);
  });
}

export const kustomizeImageLatest = defineRule({
  id: 'GV4001',
  name: 'kustomize-image-latest',
  title: 'Kustomization image override uses the latest tag',
  description:
    'An `images:` override with `newTag: latest` replaces whatever tag the manifests name with the one that ' +
    'moves: two applies of the same overlay can run different images. Set a version, or a `digest:`.',
  kind: 'kustomize',
  severity: 'warning',
  message: 'images: {name} sets newTag latest; pin a version or a digest',
  fixable: false,
  check(input, report) {
    for (const { doc, value } of input.yaml.docs) {
      kustomizeImages(value, (entry, name, path) => {
        if (str(entry.newTag) === 'latest' && str(entry.digest) === null)
          report({ range: pathRange(input.yaml, doc, [...path, 'newTag']), params: { name } });
      });
    }
  },
});

export const kustomizeImageNoTag = defineRule({
  id: 'GV4002',
  name: 'kustomize-image-no-tag',
  title: 'Kustomization image override sets no tag or digest',
  description:
    'An `images:` override without `newTag` or `digest` keeps the tag of the manifests it overrides, which ' +
    'this file does not show: renaming an image to a mirror (`newName`) is fine, but the version it runs is ' +
    'decided elsewhere. Reported as info; set `newTag` or `digest` to pin it in the overlay.',
  kind: 'kustomize',
  severity: 'info',
  message: 'images: {name} sets no newTag or digest; the tag comes from the manifests it overrides',
  fixable: false,
  check(input, report) {
    for (const { doc, value } of input.yaml.docs) {
      kustomizeImages(value, (entry, name, path) => {
        if (str(entry.newTag) === null && str(entry.digest) === null)
          report({ range: pathRange(input.yaml, doc, [...path, 'name']), params: { name } });
      });
    }
  },
});

export const helmValuesImage = defineRule({
  id: 'GV4003',
  name: 'helm-values-image-unpinned',
  title: 'Helm values name an untagged or latest image',
  description:
    "A chart's values name the images its templates deploy, as `image: repo:tag` or as a map with " +
    '`repository` and `tag`. An untagged `image:` or a `tag: latest` deploys whatever was pushed last. An empty ' +
    'or missing `tag` in a map is not reported: charts conventionally fill it from `appVersion` in their ' +
    'templates, which are not rendered here.',
  kind: 'helm-values',
  severity: 'warning',
  message: '{key}: image {image} {reason}',
  fixable: false,
  check(input, report) {
    for (const { doc, value } of input.yaml.docs) {
      walk(value, [], (path, node) => {
        const at = (p: Path) => pathRange(input.yaml, doc, p);
        const key = path.join('.') || '(top level)';
        const image = str(node.image);
        if (typeof node.image === 'string' && image) {
          const reason = unpinnedReason(image);
          const where = [...path, 'image'].join('.');
          if (reason) report({ range: at([...path, 'image']), params: { key: where, image, reason } });
        }
        const repository = str(node.repository);
        if (repository && str(node.tag) === 'latest' && !str(node.digest)) {
          const registry = str(node.registry);
          const name = `${registry ? `${registry}/` : ''}${repository}:latest`;
          report({ range: at([...path, 'tag']), params: { key, image: name, reason: 'uses the latest tag' } });
        }
      });
    }
  },
});

/** Every mapping in a values tree, with its path; lists are walked too (sidecars, init containers). */
function walk(value: unknown, path: Path, visit: (path: Path, node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], visit));
  else if (isObj(value)) {
    visit(path, value);
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
  }
}
