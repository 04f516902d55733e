/** PostgreSQL keeps at most NAMEDATALEN - 1 = 63 bytes of an identifier and silently cuts the rest. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Length of a string in UTF-8 bytes, computed without `TextEncoder` so it runs anywhere.
 * @example utf8Length("é") // 2
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Quote an SQL identifier: wrap in double quotes and double any `"` inside.
 * Throws on an empty name, a NUL character or a name over 63 bytes, because PostgreSQL would
 * reject the first two and silently truncate the last (two long names could then collide).
 * @example quoteIdent('a"b') // '"a""b"'
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error("quoteIdent: empty identifier");
  if (name.includes("\u0000")) throw new Error("quoteIdent: identifier contains a NUL character");
  if (utf8Length(name) > MAX_IDENTIFIER_BYTES) {
    throw new Error(`quoteIdent: identifier longer than ${MAX_IDENTIFIER_BYTES} bytes: ${name}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A schema-qualified, quoted name.
 * @example qualifiedName("data", "account") // '"data"."account"'
 */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
