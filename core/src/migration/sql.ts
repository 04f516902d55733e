import { qualifiedName, quoteIdent } from "./quote-ident.ts";
import { quoteLiteral } from "./quote-literal.ts";
import type { SqlStatement } from "./types.ts";

interface Param {
  readonly value: unknown;
}

/** A piece of SQL whose values stay separate until rendered: as `$n` parameters, or inlined for DDL. */
export interface Fragment {
  readonly chunks: ReadonlyArray<string | Param>;
}

/**
 * Build a fragment. Only fragments can be interpolated, so a raw string can never slip into SQL
 * by accident: use `ident()` for names, `param()` for values and `raw()` for trusted SQL text.
 * @example toStatement(sql`SELECT ${ident("a")} FROM t WHERE x = ${param(1)}`) // { text: 'SELECT "a" FROM t WHERE x = $1', params: [1] }
 */
export function sql(strings: TemplateStringsArray, ...values: Fragment[]): Fragment {
  const chunks: Array<string | Param> = [];
  strings.forEach((text, i) => {
    chunks.push(text);
    const value = values[i];
    if (value) chunks.push(...value.chunks);
  });
  return { chunks };
}

/** Trusted SQL text written by the platform itself, never by a user. */
export function raw(text: string): Fragment {
  return { chunks: [text] };
}

/** A quoted identifier. */
export function ident(name: string): Fragment {
  return raw(quoteIdent(name));
}

/** A quoted schema-qualified name. */
export function qualified(schema: string, name: string): Fragment {
  return raw(qualifiedName(schema, name));
}

/** A value: `$n` in statements, a quoted literal in DDL. */
export function param(value: unknown): Fragment {
  return { chunks: [{ value }] };
}

/** Join fragments with a separator. */
export function joinSql(items: Fragment[], separator: string): Fragment {
  const chunks: Array<string | Param> = [];
  items.forEach((item, i) => {
    if (i > 0) chunks.push(separator);
    chunks.push(...item.chunks);
  });
  return { chunks };
}

/**
 * Render with `$n` placeholders; equal primitive values share one parameter.
 * @example toStatement(sql`${param("a")} = ${param("a")}`) // { text: "$1 = $1", params: ["a"] }
 */
export function toStatement(fragment: Fragment): SqlStatement {
  const params: unknown[] = [];
  let text = "";
  for (const chunk of fragment.chunks) {
    if (typeof chunk === "string") {
      text += chunk;
      continue;
    }
    let index = params.indexOf(chunk.value);
    if (index < 0) index = params.push(chunk.value) - 1;
    text += `$${index + 1}`;
  }
  return { text, params };
}

/**
 * Render for DDL, which cannot take parameters: values are inlined with `quoteLiteral`.
 * Only platform constants and definition values (defaults) ever reach DDL; user data goes through `toStatement`.
 * @example toDdl(sql`ALTER TABLE t ALTER COLUMN c SET DEFAULT ${param("x")}`).text // "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x'"
 */
export function toDdl(fragment: Fragment): SqlStatement {
  const text = fragment.chunks.map((chunk) => (typeof chunk === "string" ? chunk : quoteLiteral(chunk.value))).join("");
  return { text, params: [] };
}
