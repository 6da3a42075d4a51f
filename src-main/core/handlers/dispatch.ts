/**
 * The single entry point both transports call: it validates the input against the contract, checks the
 * caller's permission, runs the handler, and turns any failure into a GovcError with a stable code.
 */
import type { z } from 'zod';
import {
  isRequestName,
  requests,
  type ParsedInput,
  type RequestName,
  type RequestOutput,
} from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import { can, type Principal } from '../auth/roles';

export interface CallContext {
  principal: Principal;
  /** Which transport carried the call, for the audit trail. */
  via: 'ipc' | 'http' | 'cli';
}

export type Handlers = {
  [N in RequestName]: (input: ParsedInput<N>, ctx: CallContext) => Promise<RequestOutput<N>> | RequestOutput<N>;
};

export function validationError(error: z.ZodError, where = 'input'): GovcError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || where, message: i.message }));
  const first = issues[0]!;
  return new GovcError('VALIDATION_FAILED', `Invalid ${first.path}: ${first.message}`, { issues });
}

/**
 * Validates, authorises and runs one request. The permission is checked before the input is parsed (a
 * caller without it learns nothing about the input's shape) and again for the repository the input names.
 */
export async function dispatch(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
  ctx: CallContext,
): Promise<unknown> {
  if (!isRequestName(name)) throw new GovcError('UNKNOWN_REQUEST', `There is no request named "${name}"`);
  const spec = requests[name];
  if (!can(ctx.principal, spec.permission)) throw forbidden(name, spec.permission);
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw validationError(parsed.error);
  const repo = repoOf(parsed.data);
  if (repo !== undefined && !can(ctx.principal, spec.permission, repo)) throw forbidden(name, spec.permission, repo);
  const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
  try {
    return await handler(parsed.data, ctx);
  } catch (err) {
    throw GovcError.from(err);
  }
}

export function repoOf(input: unknown): string | undefined {
  const repo = (input as { repo?: unknown } | null)?.repo;
  return typeof repo === 'string' ? repo : undefined;
}

function forbidden(name: string, permission: string, repo?: string): GovcError {
  const where = repo === undefined ? '' : ` on repository ${repo}`;
  return new GovcError('FORBIDDEN', `${name} needs the ${permission} permission${where}`, {
    permission,
    ...(repo === undefined ? {} : { repo }),
  });
}
