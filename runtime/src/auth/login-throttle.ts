import type { Queryable } from "../db/database.ts";

/** Failures allowed before backoff starts: per account, and (higher, many people share a NAT) per address. */
export const ACCOUNT_FAILURES = 5;
export const IP_FAILURES = 20;
/** Failures older than this are forgotten. */
const WINDOW = "1 hour";
const MAX_LOCK_SECONDS = 15 * 60;

export interface ThrottleKey {
  key: string;
  threshold: number;
}

export function throttleKeys(email: string, ip: string | null): ThrottleKey[] {
  const keys = [{ key: `acct:${email.trim().toLowerCase().slice(0, 320)}`, threshold: ACCOUNT_FAILURES }];
  if (ip) keys.push({ key: `ip:${ip}`, threshold: IP_FAILURES });
  return keys;
}

/** The failure count after this attempt; a quiet hour starts the count again. */
const NEXT = `case when t.updated_at < now() - interval '${WINDOW}' then 1 else t.failures + 1 end`;

/**
 * Take one attempt on every key before the password is checked. Each key's statement counts the attempt
 * as a failure in advance and, from the threshold on, locks the key for 2^(failures - threshold + 1)
 * seconds (capped at 15 minutes), but only while it is not locked already: the row lock serialises
 * parallel guesses, so none slips past a lock. Resolves to the seconds to wait when a key is locked, or
 * 0 to go ahead.
 */
export async function takeAttempt(q: Queryable, keys: ThrottleKey[]): Promise<number> {
  for (const { key, threshold } of keys) {
    const taken = await q.query(
      `insert into login_throttle as t (key, failures, updated_at) values ($1, 1, now())
       on conflict (key) do update set
         failures = ${NEXT},
         locked_until = case when ${NEXT} >= $2 then now() + least(power(2, ${NEXT} - $2 + 1), ${MAX_LOCK_SECONDS}) * interval '1 second' end,
         updated_at = now()
       where t.locked_until is null or t.locked_until <= now()
       returning failures`,
      [key, threshold],
    );
    if (taken.length === 0) return waitSeconds(q, keys);
  }
  return 0;
}

async function waitSeconds(q: Queryable, keys: ThrottleKey[]): Promise<number> {
  const [row] = await q.query<{ wait: number | null }>(
    `select ceil(extract(epoch from max(locked_until) - now()))::int as wait from login_throttle where key = any($1::text[]) and locked_until > now()`,
    [keys.map((k) => k.key)],
  );
  // The lock may have ended between the two statements: still ask for a second's pause.
  return Math.max(1, row?.wait ?? 1);
}

/** The password was right: forget the account's failures, and give the address back its attempt. */
export async function attemptSucceeded(q: Queryable, keys: ThrottleKey[]): Promise<void> {
  for (const { key, threshold } of keys) {
    if (key.startsWith("acct:")) await q.query(`delete from login_throttle where key = $1`, [key]);
    else {
      await q.query(
        `update login_throttle set failures = greatest(failures - 1, 0), locked_until = case when failures - 1 < $2 then null else locked_until end where key = $1`,
        [key, threshold],
      );
    }
  }
}
