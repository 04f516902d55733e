import type { EntityDefinition } from "../definition/types.ts";
import type { Result } from "../issues.ts";
import { stableHash } from "../migration/stable-hash.ts";
import { coerceValue, isDecimalText } from "./coerce-value.ts";
import { pathText } from "./resolve-path.ts";
import type { ResolvedListQuery, ResolvedSort } from "./types.ts";
import { valueKind } from "./value-kind.ts";

/**
 * A cursor is base64url JSON `{ s, v, h }`: `s` signs the entity and the sort it was made for, `v`
 * holds the sort values of the last record of a page (the `k` column of `compileList`), `h` is a
 * checksum of both. The checksum catches corruption and casual edits; it is not a secret, so the
 * values are type-checked again on decoding, and only ever reach SQL as parameters.
 * @example encodeCursor(query, ["1500.00", "7d0c…"]) // "eyJzIjoi…"
 */
export function encodeCursor(query: Pick<ResolvedListQuery, "entity" | "sort">, lastSortValues: unknown[]): string {
  const s = sortSignature(query.entity, query.sort);
  const v = lastSortValues;
  return toBase64Url(JSON.stringify({ s, v, h: checksum(s, v) }));
}

/** The keyset values a cursor carries, checked against the entity and sort of the request. */
export function decodeCursor(cursor: string, entity: EntityDefinition, sort: readonly ResolvedSort[]): Result<unknown[]> {
  const invalid = (message: string): Result<unknown[]> => ({ ok: false, issues: [{ code: "INVALID_CURSOR", pointer: "/cursor", message }] });
  let payload: unknown;
  try {
    payload = JSON.parse(fromBase64Url(cursor));
  } catch {
    return invalid("cursor cannot be decoded; use the nextCursor of the previous page as it is");
  }
  if (!isPayload(payload) || payload.h !== checksum(payload.s, payload.v)) {
    return invalid("cursor was altered or is not one this API issued; use the nextCursor of the previous page as it is");
  }
  if (payload.s !== sortSignature(entity, sort)) {
    return { ok: false, issues: [{ code: "CURSOR_MISMATCH", pointer: "/cursor", message: "cursor was made for another entity or sort; keep the sort of the request that returned it, or start again without a cursor" }] };
  }
  const values = payload.v.map((value, i) => (i < sort.length ? checkValue(value, sort[i]!) : BAD));
  if (payload.v.length !== sort.length || values.includes(BAD)) return invalid("cursor values do not match the sort; start again without a cursor");
  return { ok: true, value: values };
}

const BAD = Symbol("bad");

/** A value as the `k` column renders it: decimals and integers as text (or numbers), others as JSON strings or booleans. */
function checkValue(value: unknown, term: ResolvedSort): unknown {
  if (value === null) return null;
  const kind = valueKind(term.path);
  switch (kind) {
    case "boolean":
      return typeof value === "boolean" ? value : BAD;
    case "text":
    case "select":
      return typeof value === "string" ? value : BAD;
    case "integer":
    case "numeric": {
      const text = typeof value === "number" ? String(value) : value;
      return typeof text === "string" && isDecimalText(text) ? text : BAD;
    }
    default: {
      if (typeof value !== "string") return BAD;
      const coerced = coerceValue(kind, term.path, value);
      return "error" in coerced ? BAD : coerced.value;
    }
  }
}

function sortSignature(entity: EntityDefinition, sort: readonly ResolvedSort[]): string {
  return stableHash(`${entity.id}|${sort.map((term) => `${term.direction === "desc" ? "-" : ""}${pathText(term.path)}`).join(",")}`);
}

function checksum(s: string, v: unknown): string {
  return stableHash(JSON.stringify([s, v]));
}

function isPayload(value: unknown): value is { s: string; v: unknown[]; h: string } {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record["s"] === "string" && Array.isArray(record["v"]) && typeof record["h"] === "string";
}

function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
