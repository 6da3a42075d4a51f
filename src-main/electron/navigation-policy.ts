/**
 * What the shell does with links and titles. The window never navigates away from the app; a link may
 * open in the user's browser only when it is `https:` to a host on this list, so a compromised renderer
 * cannot use `shell.openExternal` to launch arbitrary protocol handlers.
 */

export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set([
  'github.com',
  'docs.docker.com',
  'docs.podman.io',
  'specs.opencontainers.org',
  'git-scm.com',
]);

/** The URL to hand to the system browser, or undefined when the link must not leave the app. */
export function externalLinkToOpen(
  rawUrl: string,
  allowedHosts: ReadonlySet<string> = EXTERNAL_LINK_HOSTS,
): string | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  // Credentials or a port make a URL that looks like an allowed host lead somewhere else.
  if (url.username !== '' || url.password !== '' || url.port !== '') return undefined;
  if (!allowedHosts.has(url.hostname)) return undefined;
  return url.href;
}

export const PRODUCT_NAME = 'govc Studio';

/** The native window title for a page title: the product name always shows, once. */
export function windowTitleFor(pageTitle: string): string {
  const title = pageTitle.trim();
  if (title === '' || title === PRODUCT_NAME) return PRODUCT_NAME;
  return title.endsWith(PRODUCT_NAME) ? title : `${title} — ${PRODUCT_NAME}`;
}
