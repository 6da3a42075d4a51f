/**
 * Image references as the rules need them: registry, repository, tag, digest, and the normalised name
 * (`nginx` → `docker.io/library/nginx`) that allow-list patterns are matched against.
 */

export interface ImageRef {
  written: string;
  /** `docker.io/library/nginx`: registry and repository, no tag or digest. */
  name: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /@([a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)$/;
const TAG = /:([\w][\w.-]{0,127})$/;

/** Undefined when the text holds a variable or is not a reference (so no rule guesses about it). */
export function parseImageRef(written: string): ImageRef | undefined {
  const text = written.trim();
  if (text === '' || /[$\s{}]/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const d = DIGEST.exec(rest);
  if (d) {
    digest = d[1];
    rest = rest.slice(0, d.index);
  }
  let tag: string | undefined;
  const t = TAG.exec(rest);
  // A colon in the first segment with no slash after it is a registry port, not a tag.
  if (t && !rest.slice(t.index).includes('/')) {
    tag = t[1];
    rest = rest.slice(0, t.index);
  }
  if (!/^[a-zA-Z0-9][\w.:/-]*$/.test(rest) || rest.endsWith('/')) return undefined;
  return {
    written: text,
    name: normalizeName(rest),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Docker Hub's implicit registry and `library/` namespace made explicit; registries stay as written. */
export function normalizeName(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return name.replace(/^index\.docker\.io\//, 'docker.io/');
  return slash < 0 ? `docker.io/library/${name.toLowerCase()}` : `docker.io/${name.toLowerCase()}`;
}

/**
 * Whether an image matches an allow-list pattern. `*` stays within a path segment, `**` crosses them, `?`
 * is one character. A pattern with a tag or digest part is matched against the image with that part;
 * otherwise against its name only, so `node` allows every tag of Docker Hub's node.
 */
export function imageMatches(image: ImageRef, pattern: string): boolean {
  const p = pattern.trim();
  const at = p.indexOf('@');
  const namePart = at >= 0 ? p.slice(0, at) : p;
  const colon = namePart.lastIndexOf(':');
  const tagAt = colon > namePart.lastIndexOf('/') ? colon : -1;
  const patternName = tagAt >= 0 ? namePart.slice(0, tagAt) : namePart;
  const suffix = p.slice(patternName.length);
  const normalized = /[*?]/.test(patternName.split('/')[0] ?? '') ? patternName : normalizeName(patternName);
  const subject =
    image.name +
    (suffix.startsWith(':') ? `:${image.tag ?? 'latest'}` : '') +
    (suffix.includes('@') ? `@${image.digest ?? ''}` : '');
  return globToRegExp(normalized + suffix).test(subject);
}

export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
