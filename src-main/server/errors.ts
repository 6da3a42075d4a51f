import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GovcError, httpStatusFor } from '../../src-shared/errors';

/** Maps framework errors (bad JSON, body too large, …) and our own to one `{error: {code, message}}` shape. */
export function toGovcError(err: FastifyError | Error): GovcError {
  if (err instanceof GovcError) return err;
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GovcError('BAD_REQUEST', `The request body is not valid JSON: ${fe.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GovcError('PAYLOAD_TOO_LARGE', 'The request body is larger than this route accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GovcError('UNSUPPORTED_MEDIA_TYPE', `Unsupported content type: ${fe.message}`);
  }
  if (err instanceof SyntaxError)
    return new GovcError('BAD_REQUEST', `The request body is not valid JSON: ${err.message}`);
  if (fe.statusCode !== undefined && fe.statusCode < 500) return new GovcError('BAD_REQUEST', fe.message);
  return new GovcError('INTERNAL', 'The engine failed to handle this request; see its log for details');
}

export function sendError(reply: FastifyReply, request: FastifyRequest, err: FastifyError | Error): FastifyReply {
  const error = toGovcError(err);
  const status = httpStatusFor(error.code);
  if (status >= 500) request.log.error({ err }, 'request failed');
  if (error.code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="govc"');
  const retryAfter = error.details?.retry_after;
  if (error.code === 'RATE_LIMITED' && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.code(status).type('application/json').send({ error: error.toJSON() });
}
