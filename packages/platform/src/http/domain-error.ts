/**
 * Every error code the services raise, and its HTTP status. One map, so a new code without a
 * status does not compile, and workers never need to know about HTTP.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_ASSIGNEE: 403,
  NOT_FOUND: 404,
  STALE_VERSION: 409,
  STEP_NOT_CURRENT: 409,
  INSTANCE_CLOSED: 409,
  TASK_CLOSED: 409,
  TASK_REASSIGNED: 409,
  ALREADY_EXTENDED: 409,
  ALREADY_URGED: 409,
  AWAITING_CORRECTION: 409,
  NOT_RETURNED: 409,
  STALE_REVISION: 409,
  CONTENT_UNAVAILABLE: 409,
  NOT_REDRIVABLE: 409,
  NOT_EDITABLE: 409,
  NOT_WITHDRAWABLE: 409,
  WITHDRAWAL_PENDING: 409,
  REPORT_NOT_OPEN: 409,
  USERNAME_TAKEN: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REASON_REQUIRED: 422,
  DEFICIENCIES_REQUIRED: 422,
  NOT_A_PARTY: 422,
  SELF_DELEGATION: 422,
  NO_TIME_LIMIT: 422,
  EXTENSION_TOO_LONG: 422,
  UNCHANGED_RESUBMISSION: 422,
  NOT_UNDER_REVIEW: 422,
  ZONE_NOT_PAIRED: 422,
  ATTACHMENTS_MISSING: 422,
  PROJECT_STATUS_BACKWARDS: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  SIGN_IN_LOCKED: 429,
  INVALID_CHAIN: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

/** One problem with one field of a request, in the shape problem+json responses list them. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra members for the problem document, e.g. the current state on a conflict. */
    readonly extensions: Record<string, unknown> = {},
    /** Response headers the problem needs, e.g. `WWW-Authenticate` on a 401; never part of the body. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
