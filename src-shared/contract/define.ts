import { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One request the renderer (or any client) can make of the engine. The HTTP binding names the REST route;
 * path parameters are written `{name}`, and a trailing `{name...}` takes the rest of the path.
 * Input fields not in the path travel in the query string (GET, DELETE) or the JSON body (others).
 */
export interface RequestSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  input: I;
  output: O;
  http: { method: HttpMethod; path: string; status?: number };
  /** Permission the caller needs; `public` requests need no token. With a `repo` input, it is checked for that repository. */
  permission: Permission;
}

export type Permission =
  /** No token needed. */
  | 'public'
  /** Any valid token, whatever its role. */
  | 'authenticated'
  | 'repo:read'
  | 'repo:write'
  | 'repo:admin'
  | 'container:build'
  | 'container:push'
  | 'container:pull'
  | 'registry:read'
  | 'registry:write'
  | 'system:admin';

export function defineRequest<I extends z.ZodType, O extends z.ZodType>(spec: RequestSpec<I, O>): RequestSpec<I, O> {
  return spec;
}

export interface PathParam {
  name: string;
  rest: boolean;
}

const PARAM = /\{([a-zA-Z_][a-zA-Z0-9_]*)(\.\.\.)?\}/g;

export function pathParams(path: string): PathParam[] {
  return [...path.matchAll(PARAM)].map((m) => ({ name: m[1]!, rest: m[2] === '...' }));
}

/** Fills `{name}` with the encoded value and `{name...}` with the value's segments encoded one by one. */
export function fillPath(path: string, values: Record<string, unknown>): string {
  return path.replace(PARAM, (_all, name: string, rest?: string) => {
    const value = String(values[name] ?? '');
    return rest ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
}

/** Query-string helpers: GET and DELETE inputs arrive as strings. */
export const queryInt = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/, 'expected an integer')
    .transform(Number),
]);
export const queryBool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);
