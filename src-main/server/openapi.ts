/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the docs cannot
 * drift from what the server accepts. Routes outside the contract (raw transfers, streams, health) are
 * described in `extraRoutes`.
 */
import { z } from 'zod';
import { API_PREFIX } from '../../src-shared/client';
import { pathParams, requests, type RequestName } from '../../src-shared/contract';

type JsonSchema = Record<string, unknown>;

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
    },
  },
};

function schemaOf(type: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const schema = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
  delete schema.$schema;
  return schema;
}

/** `/repos/{repo}/files/{path...}` → `/repos/{repo}/files/{path}` */
function openApiPath(path: string): string {
  return API_PREFIX + path.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\.\.\.\}/g, '{$1}');
}

export interface ExtraRoute {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head';
  path: string;
  summary: string;
  permission: string;
  requestBody?: Record<string, unknown>;
  responses: Record<string, unknown>;
}

const extraRoutes: ExtraRoute[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Liveness: answers while the process runs.',
    permission: 'public',
    responses: { 200: { description: '{"status":"ok"}' } },
  },
  {
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness: the engine has loaded and accepts work.',
    permission: 'public',
    responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } },
  },
  {
    method: 'get',
    path: '/version',
    summary: 'The engine version.',
    permission: 'public',
    responses: { 200: { description: '{"version"}' } },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics.',
    permission: 'system:admin',
    responses: { 200: { description: 'text/plain; version=0.0.4' } },
  },
  {
    method: 'get',
    path: `${API_PREFIX}/events`,
    summary: 'Server-Sent Events of the engine; `types` filters (comma-separated); resumes after `Last-Event-ID`.',
    permission: 'repo:read',
    responses: { 200: { description: 'text/event-stream' } },
  },
  {
    method: 'get',
    path: `${API_PREFIX}/repos/{repo}/events`,
    summary: 'Server-Sent Events of one repository; same parameters as /events.',
    permission: 'repo:read',
    responses: { 200: { description: 'text/event-stream' } },
  },
];

/** Other modules (raw file routes, the registry) describe their routes here. */
export function describeRoute(route: ExtraRoute): void {
  if (!extraRoutes.some((r) => r.method === route.method && r.path === route.path)) extraRoutes.push(route);
}

export function openApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(requests) as RequestName[]) {
    const spec = requests[name];
    const method = spec.http.method.toLowerCase();
    const params = pathParams(spec.http.path);
    const input = schemaOf(spec.input, 'input');
    const properties = (input.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((input.required ?? []) as string[]);
    const parameters: unknown[] = params.map((p) => ({
      name: p.name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(p.rest ? { description: 'The rest of the path: may contain slashes.' } : {}),
    }));
    const bodyProps: Record<string, JsonSchema> = {};
    for (const [key, schema] of Object.entries(properties)) {
      if (params.some((p) => p.name === key)) continue;
      if (method === 'get' || method === 'delete')
        parameters.push({ name: key, in: 'query', required: required.has(key), schema });
      else bodyProps[key] = schema;
    }
    const status = String(spec.http.status ?? 200);
    const operation: Record<string, unknown> = {
      operationId: name,
      summary: spec.summary,
      tags: [name.split('.')[0]],
      'x-permission': spec.permission,
      parameters,
      responses: {
        [status]: { description: 'OK', content: { 'application/json': { schema: schemaOf(spec.output, 'output') } } },
        default: { description: 'An error with a stable code', content: { 'application/json': { schema: ErrorBody } } },
      },
      ...(spec.permission === 'public' ? { security: [] } : {}),
    };
    if (method !== 'get' && method !== 'delete') {
      const bodyRequired = [...required].filter((k) => k in bodyProps);
      operation.requestBody = {
        required: bodyRequired.length > 0,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: bodyProps,
              ...(bodyRequired.length ? { required: bodyRequired } : {}),
            },
          },
        },
      };
    }
    (paths[openApiPath(spec.http.path)] ??= {})[method] = operation;
  }
  for (const route of extraRoutes) {
    (paths[route.path] ??= {})[route.method] = {
      summary: route.summary,
      'x-permission': route.permission,
      responses: route.responses,
      ...(route.requestBody ? { requestBody: route.requestBody } : {}),
      ...(route.permission === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'govc Studio engine API',
      version,
      description:
        'Every route needs `Authorization: Bearer <token>` unless marked public. Errors are `{"error": {"code", "message", "details"}}`.',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
