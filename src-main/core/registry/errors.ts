/**
 * Errors of the OCI Distribution Spec: a stable code from the spec's table, the HTTP status the spec (or
 * CNCF distribution, where the spec is silent) gives it, and optional detail. The HTTP layer renders them
 * as `{"errors":[{code,message,detail}]}`, which registry clients parse; they never see GovcError's shape.
 */

export const REGISTRY_ERROR_STATUS = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
} as const;

export type RegistryErrorCode = keyof typeof REGISTRY_ERROR_STATUS;

export class RegistryError extends Error {
  readonly status: number;

  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly detail?: unknown,
    /** Overrides the code's usual status, e.g. 416 for an upload chunk out of order. */
    status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
    this.status = status ?? REGISTRY_ERROR_STATUS[code];
  }

  toJSON(): { errors: Array<{ code: string; message: string; detail?: unknown }> } {
    return {
      errors: [
        { code: this.code, message: this.message, ...(this.detail === undefined ? {} : { detail: this.detail }) },
      ],
    };
  }
}
