import type { Database } from "../db/database.ts";
import { recordAdminAudit } from "./admin-audit.ts";
import { InvalidCredentials, LoginThrottled } from "./auth-errors.ts";
import { attemptSucceeded, takeAttempt, throttleKeys } from "./login-throttle.ts";
import { dummyPasswordHash, PASSWORD_MAX, verifyPassword } from "./password.ts";
import { PRUNE_ONE_IN, pruneAuthTables } from "./prune-auth-tables.ts";
import { sha256 } from "./secrets.ts";
import { createSession, revokeSession, type NewSession } from "./session-store.ts";
import { findUser, type UserView } from "./user-view.ts";

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The session cookie the browser still holds, if any: it is revoked, so a sign-in always starts a new session. */
  previousSecret?: string | undefined;
}

/**
 * Sign in: throttle, check the password, and on success open a fresh session. Unknown email, wrong
 * password and inactive user fail alike, after the same scrypt work.
 */
export async function login(db: Database, attempt: LoginAttempt): Promise<{ user: UserView; session: NewSession }> {
  const email = attempt.email.trim().toLowerCase();
  if (Math.random() * PRUNE_ONE_IN < 1) await pruneAuthTables(db);
  const keys = throttleKeys(email, attempt.ip);
  const wait = await takeAttempt(db, keys);
  if (wait) throw LoginThrottled(`Too many failed sign-ins. Retry in ${wait} s.`, { headers: { "retry-after": String(wait) }, extra: { retryAfter: wait } });

  const [account] = await db.query<{ id: string; password_hash: string | null; active: boolean }>(`select id, password_hash, active from users where lower(email) = $1`, [email]);
  const tooLong = attempt.password.length > PASSWORD_MAX;
  const matches = await verifyPassword(tooLong ? "" : attempt.password, account?.password_hash ?? (await dummyPasswordHash()));
  const reason = !account ? "unknown_user" : !account.password_hash ? "no_password" : tooLong || !matches ? "wrong_password" : !account.active ? "inactive" : undefined;
  if (reason || !account) {
    await recordAdminAudit(db, { userId: null, tokenId: null, ip: attempt.ip }, "login_failed", email, { reason, ...(account ? { userId: account.id } : {}) });
    throw InvalidCredentials("The email or password is incorrect.");
  }

  return db.transaction(async (tx) => {
    await attemptSucceeded(tx, keys);
    const replaced = attempt.previousSecret ? await revokeSession(tx, sha256(attempt.previousSecret)) : undefined;
    await tx.query(`update users set last_login_at = now() where id = $1`, [account.id]);
    const session = await createSession(tx, { userId: account.id, ip: attempt.ip, userAgent: attempt.userAgent });
    await recordAdminAudit(tx, { userId: account.id, tokenId: null, ip: attempt.ip }, "login", account.id, { sessionId: session.id, ...(replaced ? { replacedSession: true } : {}) });
    return { user: (await findUser(tx, account.id))!, session };
  });
}
