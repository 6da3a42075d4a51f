/**
 * Errors that cross a transport (Electron IPC or HTTP) as plain `{code, message, details}` and are rebuilt
 * as `GovcError` on the other side. Codes are stable: scripts and tests switch on them, never on messages.
 */

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  POLICY_BLOCKED: 422,
  NOT_FOUND: 404,
  UNKNOWN_REQUEST: 404,
  CONFLICT: 409,
  STALE_WRITE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  // Repositories (src-main/core/git); see docs/repositories.md.
  INVALID_PATH: 400,
  INVALID_REF: 400,
  INVALID_REPO_ID: 400,
  INVALID_AUTHOR: 400,
  INVALID_CONTENT: 400,
  EMPTY_MESSAGE: 400,
  AMBIGUOUS_REV: 400,
  NOT_A_FILE: 400,
  NOT_A_GIT_REPO: 400,
  IMPORT_FAILED: 400,
  REPO_NOT_FOUND: 404,
  REV_NOT_FOUND: 404,
  COMMIT_NOT_FOUND: 404,
  BRANCH_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  OBJECT_NOT_FOUND: 404,
  REPO_EXISTS: 409,
  BRANCH_EXISTS: 409,
  TAG_EXISTS: 409,
  REF_EXISTS: 409,
  NOTHING_TO_COMMIT: 409,
  NO_COMMITS: 409,
  MERGE_CONFLICT: 409,
  DIRTY_WORKTREE: 409,
  PATH_CONFLICT: 409,
  BRANCH_CHECKED_OUT: 409,
  BRANCH_NOT_MERGED: 409,
  EXPORT_TARGET_NOT_EMPTY: 409,
  BINARY_FILE: 415,
  CORRUPT_OBJECT: 500,
  // Container definitions (src-main/core/definitions); see docs/definitions.md.
  DEFINITION_NOT_FOUND: 404,
  DEFINITION_EXISTS: 409,
  DEFINITION_TOO_LARGE: 413,
  NOT_A_DEFINITION: 422,
  DEFINITION_TYPE_MISMATCH: 422,
  BINARY_CONTENT: 422,
  // Builds (src-main/core/builds) and the build engine (src-main/core/build); see docs/builds.md.
  DOCKERFILE_NOT_FOUND: 404,
  CONTEXT_NOT_FOUND: 404,
  BUILD_NOT_FOUND: 404,
  IMAGE_NOT_FOUND: 404,
  USER_NOT_FOUND: 422,
  DOCKERFILE_INVALID: 422,
  BAD_COPY_SOURCE: 422,
  BAD_MOUNT: 422,
  BAD_FLAG: 422,
  BAD_ARCHIVE: 422,
  BAD_LAYER: 422,
  BAD_IMAGE: 422,
  BAD_DIGEST: 400,
  DIGEST_MISMATCH: 422,
  HOSTILE_ARCHIVE: 422,
  LAYER_TOO_LARGE: 413,
  RUN_FAILED: 422,
  UNSUPPORTED: 422,
  SANDBOX_UNAVAILABLE: 503,
  ENGINE_STOPPED: 503,
  BUILD_FAILED: 422,
  BAD_STORE: 500,
  DOWNLOAD_TOO_LARGE: 413,
  // Another server failed us (a registry refusing a push, a download that broke off): not the caller's fault.
  DOWNLOAD_FAILED: 502,
  BAD_GATEWAY: 502,
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
