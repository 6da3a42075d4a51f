/**
 * Image references as docker and podman spell them: `[HOST[:PORT]/]PATH[:TAG][@DIGEST]`. The first
 * component is a host when it has a dot or a port, or is `localhost`; otherwise the image is on Docker Hub,
 * whose one-component names live under `library/`. Loopback hosts speak plain HTTP, as registries started
 * for development and tests do; every other host is reached over HTTPS.
 */
import { GovcError } from '../../../../src-shared/errors';

export interface ImageReference {
  /** As clients write it, e.g. `127.0.0.1:5000` or `docker.io`. */
  host: string;
  /** Where the API is, e.g. `https://registry-1.docker.io`. */
  baseUrl: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'https://registry-1.docker.io';
const REF_RE =
  /^(?:([^/]+)\/)?([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha(?:256|512):[0-9a-f]{64,128}))?$/;

export function parseReference(text: string): ImageReference {
  const slash = text.indexOf('/');
  const first = slash === -1 ? '' : text.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : DOCKER_HUB;
  const rest = hasHost ? text.slice(slash + 1) : text;
  const match = REF_RE.exec(rest);
  if (!match) throw new GovcError('BAD_REQUEST', `Invalid image reference "${text}"`, { reference: text });
  let repository = match[1] === undefined ? match[2]! : `${match[1]}/${match[2]}`;
  if (host === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  const digest = match[4];
  const tag = match[3] ?? (digest === undefined ? 'latest' : undefined);
  return { host, baseUrl: baseUrlOf(host), repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function baseUrlOf(host: string): string {
  if (host === DOCKER_HUB || host === 'index.docker.io') return DOCKER_HUB_API;
  return `${isLoopback(host) ? 'http' : 'https'}://${host}`;
}

export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** What the reference asks the registry for: its digest when pinned, else its tag. */
export function referenceOf(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The name the image gets in the local store: `host/repository:tag` (Docker Hub images without a host). */
export function localName(ref: ImageReference): string {
  const repo = ref.host === DOCKER_HUB ? ref.repository.replace(/^library\//, '') : `${ref.host}/${ref.repository}`;
  return `${repo}:${ref.tag ?? 'latest'}`;
}
