/**
 * Credentials the user already gave docker or podman, read from their auth files in the order podman
 * reads them: `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`, then
 * `~/.docker/config.json`. Entries are `auths[<host>].auth` = base64(`user:password`); Docker Hub's key is
 * `https://index.docker.io/v1/`. Credential helpers (`credsStore`) are not run: that would execute a
 * program named by a file.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB } from './reference';

export interface Credentials {
  username: string;
  password: string;
}

interface AuthFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
}

export function authFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  return [
    ...(env.REGISTRY_AUTH_FILE ? [env.REGISTRY_AUTH_FILE] : []),
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')] : []),
    join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json'),
  ];
}

/** The first credentials any auth file holds for `host`, or undefined (anonymous). */
export function credentialsFor(host: string, env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  const keys = host === DOCKER_HUB ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io'] : [host];
  for (const file of authFiles(env)) {
    let parsed: AuthFile;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as AuthFile;
    } catch {
      continue; // absent or unreadable: the next file may have them
    }
    for (const [key, entry] of Object.entries(parsed.auths ?? {})) {
      if (!keys.includes(key.replace(/^https?:\/\//, '').replace(/\/.*$/, '')) && !keys.includes(key)) continue;
      const found = decode(entry);
      if (found) return found;
    }
  }
  return undefined;
}

function decode(entry: { auth?: string; username?: string; password?: string }): Credentials | undefined {
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}
