/**
 * The links between definitions: which compose service builds which Dockerfile, and which service,
 * workload or chart runs which image. An image that a compose service both builds and tags is traced
 * back to that service's Dockerfile wherever else it is used.
 */
import type { Definition, GraphEdge } from '../../../src-shared/contract/definitions';
import { dirName } from './detect';

/** `nginx`, `docker.io/library/nginx:latest` and `nginx:latest` are one image. */
export function normalizeImage(image: string): string {
  let ref = image.trim();
  const at = ref.indexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  const hasTag = name.lastIndexOf(':') > name.lastIndexOf('/');
  if (at < 0 && !hasTag) ref = `${ref}:latest`;
  return ref.replace(/^(?:docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

/** A repository-relative path from a folder and a relative path; null when it leaves the repository. */
export function resolvePath(dir: string, relative: string): string | null {
  if (relative.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\//i.test(relative)) return null;
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

export function buildGraph(definitions: readonly Definition[]): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const builtBy = new Map<string, string>();
  const pending: Array<Omit<GraphEdge, 'dockerfile'> & { image: string }> = [];
  for (const d of definitions) {
    switch (d.type) {
      case 'compose':
        for (const s of d.summary.services) {
          const from = { path: d.path, type: d.type, name: s.name };
          if (s.build) {
            const context = resolvePath(dirName(d.path), s.build.context);
            const dockerfile =
              context === null || s.build.dockerfile === null ? null : resolvePath(context, s.build.dockerfile);
            if (dockerfile !== null && s.image) builtBy.set(normalizeImage(s.image), dockerfile);
            edges.push({ kind: 'builds', from, dockerfile, image: s.image, file: d.path, range: s.range });
          } else if (s.image) pending.push({ kind: 'uses', from, image: s.image, file: d.path, range: s.range });
        }
        break;
      case 'kubernetes':
        for (const o of d.summary.objects) {
          const from = { path: d.path, type: d.type, name: `${o.kind}/${o.name ?? ''}` };
          for (const c of o.containers) {
            if (c.image) pending.push({ kind: 'uses', from, image: c.image, file: d.path, range: c.range });
          }
        }
        break;
      case 'helm': {
        const from = { path: d.path, type: d.type, name: d.summary.name ?? dirName(d.path) };
        for (const i of d.summary.images)
          pending.push({ kind: 'uses', from, image: i.image, file: i.file, range: i.range });
        break;
      }
      case 'dockerfile':
      case 'kustomize':
        break;
    }
  }
  for (const e of pending) edges.push({ ...e, dockerfile: builtBy.get(normalizeImage(e.image)) ?? null });
  return edges;
}
