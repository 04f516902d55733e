import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** `bytes` random bytes, base64url (32 bytes: 43 characters, 256 bits). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256, hex: how session ids and API tokens are kept at rest. */
export function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Compare two strings in time that does not depend on where they differ. */
export function safeEqual(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so not even the length leaks through timing.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}
