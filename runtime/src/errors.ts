import type { Issue } from "@crm/core";

/** A known failure with a stable code, an HTTP status, and the issues that explain it. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly issues: Issue[];
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    status: number,
    title: string,
    detail: string,
    options: { issues?: Issue[]; extra?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.code = code;
    this.status = status;
    this.title = title;
    this.issues = options.issues ?? [];
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

type ErrorOptions = ConstructorParameters<typeof AppError>[4];

/**
 * Declare one entry of the error catalogue. Codes are stable and never renamed once shipped.
 * @example
 * const NotFound = defineError("ENTITY_NOT_FOUND", 404, "Entity not found");
 * throw NotFound("There is no entity with key \"x\".");
 */
export function defineError(code: string, status: number, title: string) {
  const create = (detail: string, options?: ErrorOptions) => new AppError(code, status, title, detail, options);
  return Object.assign(create, { code, status });
}

export const BadRequest = defineError("BAD_REQUEST", 400, "The request is malformed");
export const InvalidJson = defineError("INVALID_JSON", 400, "The request body is not valid JSON");
export const ValidationFailed = defineError("VALIDATION_FAILED", 422, "The input is invalid");
export const InvalidDefinition = defineError("INVALID_DEFINITION", 422, "The definition is invalid");
export const MigrationRefused = defineError("MIGRATION_REFUSED", 422, "The change cannot be applied");
export const LossyNotConfirmed = defineError("LOSSY_STEP_NOT_CONFIRMED", 422, "Lossy steps need confirmation");
export const MigrationBlocked = defineError("MIGRATION_BLOCKED", 422, "Existing data prevents the change");
export const EntityNotFound = defineError("ENTITY_NOT_FOUND", 404, "Entity not found");
export const NotFound = defineError("NOT_FOUND", 404, "Not found");
export const EntityExists = defineError("ENTITY_EXISTS", 409, "Entity already exists");
export const StaleDefinition = defineError("STALE_DEFINITION", 409, "The definition changed since it was read");
export const SchemaBusy = defineError("SCHEMA_BUSY", 423, "The table is busy; retry shortly");
export const ConcurrentChange = defineError("CONCURRENT_CHANGE", 409, "A concurrent change conflicted; retry");
export const Unsupported = defineError("UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported media type");
export const RecordNotFound = defineError("RECORD_NOT_FOUND", 404, "Record not found");
export const RecordNotUnique = defineError("RECORD_NOT_UNIQUE", 409, "A value must be unique");
export const InvalidReference = defineError("INVALID_REFERENCE", 422, "A related record does not exist");
export const RecordInvalid = defineError("RECORD_INVALID", 422, "The record is invalid");
export const InvalidQuery = defineError("INVALID_QUERY", 400, "The query is invalid");
export const PreconditionFailed = defineError("PRECONDITION_FAILED", 412, "The record changed since it was read");
export const IdempotencyKeyReused = defineError("IDEMPOTENCY_KEY_REUSED", 422, "The idempotency key was used with another request");
export const IdempotencyInFlight = defineError("IDEMPOTENCY_IN_FLIGHT", 409, "A request with this idempotency key is still running");
export const RecordInUse = defineError("RECORD_IN_USE", 409, "Other records still refer to this record");
export const SchemaChanged = defineError("SCHEMA_CHANGED", 409, "The schema changed during the request; retry");
export const AccessDenied = defineError("ACCESS_DENIED", 403, "You may not do this");
export const FieldsNotWritable = defineError("FIELDS_NOT_WRITABLE", 403, "Some fields may not be written");
export const NoPool = defineError("NO_POOL", 404, "The entity has no pool");
export const RecordOwned = defineError("RECORD_OWNED", 409, "Someone owns the record");
export const RecordInPool = defineError("RECORD_IN_POOL", 409, "The record is already in the pool");
export const OwnedLimitReached = defineError("OWNED_LIMIT_REACHED", 409, "You hold as many records as the pool allows");
export const ApprovalDecided = defineError("APPROVAL_DECIDED", 409, "The request is decided already");
export const ClaimQuotaReached = defineError("CLAIM_QUOTA_REACHED", 429, "Daily claim quota reached");
