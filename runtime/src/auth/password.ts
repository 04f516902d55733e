import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { Issue } from "@crm/core";

/** scrypt at N=2^15, r=8, p=1: 32 MiB and tens of milliseconds per hash (OWASP's scrypt baseline). */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 32;
const KEY_BYTES = 64;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; leave headroom over Node's 32 MiB default.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  // The callback form runs on the libuv thread pool, leaving the event loop free.
  return new Promise((resolve, reject) => scrypt(password.normalize("NFC"), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * Hash a password for storage as the self-describing `scrypt$N$r$p$salt$hash` (base64url parts).
 * @example await hashPassword("correct horse battery") // "scrypt$32768$8$1$…$…"
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Whether `password` matches `stored`; false for anything malformed. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Refuse parameters no hash of ours has: a tampered row must not make sign-in a memory bomb.
  if (!Number.isInteger(Math.log2(N)) || N < 2 ** 10 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, "base64url");
  const expected = Buffer.from(parts[5]!, "base64url");
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(password, salt, { N, r, p });
  return timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/**
 * A real hash of a random password, computed once: verifying against it when the email is unknown
 * costs what a real check costs, so the answer time does not tell which emails exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  return dummy;
}

/** The password policy, as issues at `pointer` (empty when acceptable). */
export function checkPasswordPolicy(password: unknown, pointer: string): Issue[] {
  if (typeof password !== "string") return [{ code: "INVALID_TYPE", pointer, message: "Expected a string." }];
  if (password.length < PASSWORD_MIN) return [{ code: "PASSWORD_TOO_SHORT", pointer, message: `Use at least ${PASSWORD_MIN} characters.` }];
  if (password.length > PASSWORD_MAX) return [{ code: "PASSWORD_TOO_LONG", pointer, message: `Use at most ${PASSWORD_MAX} characters.` }];
  return [];
}

/** A random password for a new user or a reset: 20 characters from an unambiguous alphabet (~115 bits). */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(40);
  let out = "";
  // Rejection sampling keeps every character equally likely.
  for (const byte of bytes) {
    if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
    if (out.length === 20) return out;
  }
  return out + generatePassword().slice(out.length);
}
