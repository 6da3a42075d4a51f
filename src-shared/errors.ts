/**
 * Errors that cross a transport (Electron IPC or HTTP) as plain `{code, message, details}` and are rebuilt
 * as `GovcError` on the other side. Codes are stable: scripts and tests switch on them, never on messages.
 */

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_REQUEST: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorPayload {
  code: ErrorCode | string;
  message: string;
  details?: Record<string, unknown>;
}

export class GovcError extends Error {
  readonly code: ErrorCode | string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode | string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'GovcError';
    this.code = code;
    this.details = details;
  }

  toJSON(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromJSON(payload: ErrorPayload): GovcError {
    return new GovcError(payload.code, payload.message, payload.details);
  }

  /** Any thrown value as a GovcError; unknown errors become INTERNAL without leaking their stack. */
  static from(err: unknown): GovcError {
    if (err instanceof GovcError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new GovcError('INTERNAL', message || 'Internal error');
  }
}

export function httpStatusFor(code: string): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? 500;
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorPayload).code === 'string' &&
    typeof (value as ErrorPayload).message === 'string'
  );
}
