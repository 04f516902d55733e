import { createHash } from "node:crypto";
import type { Database, Queryable } from "../db/database.ts";
import { BadRequest, IdempotencyInFlight, IdempotencyKeyReused } from "../errors.ts";

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** The body already serialised as JSON (then `body` is undefined). */
  json?: string;
}

/** A request still running longer than this is taken to have died with its process. */
const ABANDONED_AFTER_MS = 60_000;

/** A stable hash of a request body: keys sorted, so equal JSON hashes equal. */
export function requestHash(scope: string, body: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
        : value;
  return createHash("sha256").update(scope).update("\0").update(JSON.stringify(canonical(body))).digest("hex");
}

export function checkIdempotencyKey(key: string): void {
  if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw BadRequest("Idempotency-Key must be 1 to 255 visible ASCII characters.", {
      issues: [{ code: "INVALID_IDEMPOTENCY_KEY", pointer: "/headers/idempotency-key", message: "Use 1 to 255 visible ASCII characters, e.g. a UUID." }],
    });
  }
}

/**
 * Claim an idempotency key before doing the work. Returns a stored response to replay, or `null` when
 * this request owns the key and must `complete` it inside its own transaction (or `release` it on failure).
 */
export async function claimIdempotencyKey(db: Database, scope: string, key: string, hash: string): Promise<StoredResponse | null> {
  const claimed = await db.query(
    `insert into idempotency_keys (scope, key, request_hash, state) values ($1, $2, $3, 'running') on conflict do nothing returning key`,
    [scope, key, hash],
  );
  if (claimed.length) return null;
  const [row] = await db.query<{ request_hash: string; state: string; status: number | null; response: unknown; headers: unknown; age_ms: number }>(
    `select request_hash, state, status, response, headers, (extract(epoch from now() - created_at) * 1000)::int as age_ms from idempotency_keys where scope = $1 and key = $2`,
    [scope, key],
  );
  if (!row) return claimIdempotencyKey(db, scope, key, hash); // released meanwhile: try again
  if (row.request_hash !== hash) {
    throw IdempotencyKeyReused("This Idempotency-Key was already used with a different request body; use a new key for a new request.", {
      issues: [{ code: "IDEMPOTENCY_KEY_REUSED", pointer: "/headers/idempotency-key", message: "The key belongs to another request." }],
    });
  }
  if (row.state === "running") {
    if (row.age_ms > ABANDONED_AFTER_MS) {
      const taken = await db.query(
        `update idempotency_keys set created_at = now() where scope = $1 and key = $2 and state = 'running' and created_at < now() - make_interval(secs => $3) returning key`,
        [scope, key, ABANDONED_AFTER_MS / 1000],
      );
      if (taken.length) return null;
    }
    throw IdempotencyInFlight("The first request with this Idempotency-Key is still running; retry shortly to get its result.", {
      headers: { "retry-after": "1" },
      extra: { retryable: true },
    });
  }
  const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
  return { status: row.status ?? 200, body: parse(row.response), headers: (parse(row.headers) as Record<string, string>) ?? {} };
}

/** Store the response in the same transaction as the work it describes. */
export async function completeIdempotencyKey(tx: Queryable, scope: string, key: string, response: StoredResponse): Promise<void> {
  await tx.query(`update idempotency_keys set state = 'done', status = $3, response = $4::jsonb, headers = $5::jsonb where scope = $1 and key = $2`, [
    scope,
    key,
    response.status,
    JSON.stringify(response.body),
    JSON.stringify(response.headers),
  ]);
}

/** The work failed: free the key so a corrected retry can use it. */
export async function releaseIdempotencyKey(db: Database, scope: string, key: string): Promise<void> {
  await db.query(`delete from idempotency_keys where scope = $1 and key = $2 and state = 'running'`, [scope, key]);
}
