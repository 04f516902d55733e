/**
 * Quote a value as an SQL literal for DDL, where statements cannot take parameters
 * (column defaults, constants in `USING` expressions). DML and impact queries use `$n` parameters instead.
 *
 * - strings: single quotes with `'` doubled. The output relies on `standard_conforming_strings = on`
 *   (the default since PostgreSQL 9.1), so backslashes are ordinary characters and E-strings are never needed;
 * - numbers: finite only; bigints; booleans as `true` / `false`; `null` as `NULL`;
 * - string arrays as `ARRAY[…]::text[]` (multiSelect);
 * - plain objects, or any value with `as: "jsonb"`, as `'…'::jsonb`.
 * Throws on anything else, on non-finite numbers and on strings holding NUL (PostgreSQL text cannot store it).
 * @example quoteLiteral("it's") // "'it''s'"
 * @example quoteLiteral(["a", "b"]) // "ARRAY['a', 'b']::text[]"
 * @example quoteLiteral({ a: 1 }) // `'{"a":1}'::jsonb`
 */
export function quoteLiteral(value: unknown, as?: "jsonb"): string {
  if (as === "jsonb") return jsonbLiteral(value);
  if (value === null) return "NULL";
  switch (typeof value) {
    case "string":
      return quoteString(value);
    case "number":
      if (!Number.isFinite(value)) throw new Error(`quoteLiteral: non-finite number ${value}`);
      return Object.is(value, -0) ? "0" : String(value);
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (Array.isArray(value)) return textArrayLiteral(value);
      return jsonbLiteral(value);
    default:
      throw new Error(`quoteLiteral: cannot quote a ${typeof value}`);
  }
}

function quoteString(text: string): string {
  if (text.includes("\u0000")) throw new Error("quoteLiteral: string contains a NUL character");
  return `'${text.replace(/'/g, "''")}'`;
}

function textArrayLiteral(items: unknown[]): string {
  const quoted = items.map((item) => {
    if (typeof item !== "string") throw new Error("quoteLiteral: arrays must hold strings only");
    return quoteString(item);
  });
  return `ARRAY[${quoted.join(", ")}]::text[]`;
}

function jsonbLiteral(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error("quoteLiteral: value has no JSON form");
  return `${quoteString(json)}::jsonb`;
}
