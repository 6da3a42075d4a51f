/** The Monaco language for a repository file, from its name; plaintext for anything we do not highlight. */
export type FileLanguage = 'dockerfile' | 'yaml' | 'json' | 'plaintext';

export function languageForPath(path: string): FileLanguage {
  const name = (path.split('/').pop() ?? path).toLowerCase();
  // Dockerfile, Containerfile, and their variants: app.Dockerfile, Dockerfile.dev, Containerfile.prod.
  if (/^(docker|container)file(\..+)?$/.test(name) || /\.(docker|container)file$/.test(name)) return 'dockerfile';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.json$/.test(name)) return 'json';
  return 'plaintext';
}
