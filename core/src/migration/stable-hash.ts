/**
 * A short deterministic hash (32-bit FNV-1a over UTF-16 code units, 8 hex digits). Not cryptographic:
 * it keeps shortened identifiers and step ids distinct, it does not protect secrets.
 * @example stableHash("abc") // "1a47e90b"
 */
export function stableHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
