/**
 * HTTP to one registry, with the auth flows public registries use and retries on transient failures.
 * A request goes out with what worked before for its scope; a 401 is answered by its challenge: `Basic`
 * sends the credentials, `Bearer realm=…,service=…,scope=…` fetches a token from the realm (with the
 * credentials as Basic, or anonymously) and retries once. 5xx, 429 and dropped connections (ECONNRESET
 * and the like) are retried with exponential backoff; bodies are buffers, so a retry resends them whole.
 */
import { GovcError } from '../../../../src-shared/errors';
import type { Credentials } from './auth-files';

export interface TransportOptions {
  credentials?: Credentials;
  /** Attempts per request, transient failures included (default 4). */
  attempts?: number;
  /** First backoff wait in ms, doubled per retry (default 250). */
  backoffMs?: number;
  /** Challenges answered, in order of preference, when a registry offers several (default Bearer, Basic). */
  authSchemes?: Array<'bearer' | 'basic'>;
}

type Authorization = { kind: 'basic' } | { kind: 'bearer'; token: string };

const USER_AGENT = 'govc-studio-registry-client';

export class RegistryTransport {
  private readonly byScope = new Map<string, Authorization>();
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(
    readonly baseUrl: string,
    private readonly options: TransportOptions = {},
  ) {
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
  }

  /** A request under `scopes` (e.g. `repository:team/app:pull,push`); the answer may be any status. */
  async request(pathOrUrl: string, init: RequestInit, scopes: string[]): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const key = scopes.join(' ');
    const res = await this.send(url, init, this.byScope.get(key));
    if (res.status !== 401) return res;
    const auth = await this.authorize(res.headers.get('www-authenticate') ?? '', scopes);
    if (auth === undefined) return res; // nothing to answer the challenge with: the caller reports the 401
    await res.body?.cancel();
    this.byScope.set(key, auth);
    return this.send(url, init, auth);
  }

  private async authorize(challenge: string, scopes: string[]): Promise<Authorization | undefined> {
    for (const scheme of this.options.authSchemes ?? ['bearer', 'basic']) {
      const auth = scheme === 'bearer' ? await this.bearer(challenge, scopes) : this.basic(challenge);
      if (auth !== undefined) return auth;
    }
    return undefined;
  }

  private basic(challenge: string): Authorization | undefined {
    return parseChallenge(challenge, 'basic') !== undefined && this.options.credentials ? { kind: 'basic' } : undefined;
  }

  private async bearer(challenge: string, scopes: string[]): Promise<Authorization | undefined> {
    const bearer = parseChallenge(challenge, 'bearer');
    if (bearer?.realm !== undefined) {
      const query = new URLSearchParams();
      if (bearer.service !== undefined) query.set('service', bearer.service);
      for (const scope of scopes.length > 0 ? scopes : bearer.scope ? [bearer.scope] : []) query.append('scope', scope);
      const res = await this.send(
        `${bearer.realm}?${query}`,
        {},
        this.options.credentials ? { kind: 'basic' } : undefined,
      );
      if (!res.ok) {
        throw new GovcError('UNAUTHORIZED', `The registry's token service refused us (${res.status})`, {
          status: res.status,
          realm: bearer.realm,
        });
      }
      const body = (await res.json()) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token;
      if (!token) throw new GovcError('UNAUTHORIZED', 'The registry token service answered without a token');
      return { kind: 'bearer', token };
    }
    return undefined;
  }

  private async send(url: string, init: RequestInit, auth: Authorization | undefined): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('user-agent', USER_AGENT);
    if (auth?.kind === 'bearer') headers.set('authorization', `Bearer ${auth.token}`);
    else if (auth?.kind === 'basic' && this.options.credentials) {
      const { username, password } = this.options.credentials;
      headers.set('authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
    }
    for (let attempt = 1; ; attempt++) {
      let res: Response | undefined;
      let failure: unknown;
      try {
        res = await fetch(url, { ...init, headers });
      } catch (err) {
        failure = err;
      }
      const transient = res === undefined ? isTransientError(failure) : res.status >= 500 || res.status === 429;
      if (!transient || attempt >= this.attempts) {
        if (res !== undefined) return res;
        throw new GovcError('UNAVAILABLE', `${init.method ?? 'GET'} ${url}: ${describe(failure)}`, { url });
      }
      await res?.body?.cancel();
      await sleep(this.backoffMs * 2 ** (attempt - 1));
    }
  }
}

/** The parameters of one scheme of a `WWW-Authenticate` header, e.g. realm, service and scope of Bearer. */
export function parseChallenge(header: string, scheme: string): Record<string, string> | undefined {
  // A header may hold several challenges: `Bearer realm="…",service="…", Basic realm="…"`.
  for (const challenge of header.matchAll(/([A-Za-z]+)((?:\s*,?\s*[A-Za-z_]+="[^"]*")*)/g)) {
    if (challenge[1]!.toLowerCase() !== scheme) continue;
    const params: Record<string, string> = {};
    for (const m of challenge[2]!.matchAll(/([A-Za-z_]+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
    return params;
  }
  return undefined;
}

export function isTransientError(err: unknown): boolean {
  const codes = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'EAI_AGAIN', 'UND_ERR_CLOSED'];
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (codes.includes((e as NodeJS.ErrnoException).code ?? '')) return true;
    if (e.name === 'AbortError') return false;
  }
  return err instanceof TypeError; // fetch's "fetch failed" wraps network errors without a code sometimes
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { message?: string } } | undefined)?.cause?.message;
  return cause ?? (err instanceof Error ? err.message : String(err));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
