import fc from "fast-check";
import type { EntityDefinition } from "@crm/core";
import type { Expect } from "./check-response.ts";
import { encodeBody, envelope, type Envelope } from "./envelopes.ts";
import type { RawRequest } from "./fuzz-client.ts";
import { anyJson, anyJsonOrHeavy, anyString } from "./json-values.ts";
import { almostValidRecord, createBody, type IdPool, type RecordBody } from "./record-arbitraries.ts";
import { encode } from "./url-text.ts";

/** A record id: a live one (by index, resolved when sent, so deleted rows drop out), or a literal. */
export type IdChoice = { live: number; upper?: boolean } | { literal: string; raw?: boolean };

/** A generated request against the record API, as plain data (fast-check prints it as the counterexample). */
export type WritePlan =
  | { kind: "create"; entity: string; body: unknown; envelope: Envelope; idempotencyKey?: string }
  | { kind: "updateMany"; entity: string; items: Array<{ id: IdChoice; version?: unknown; changes: RecordBody }> | { noise: unknown }; envelope: Envelope }
  | { kind: "removeMany"; entity: string; ids: IdChoice[] | { noise: unknown }; envelope: Envelope }
  | { kind: "get"; entity: string; id: IdChoice; query: string }
  | { kind: "update"; entity: string; id: IdChoice; ifMatch?: string; body: unknown; envelope: Envelope }
  | { kind: "remove"; entity: string; id: IdChoice; ifMatch?: string };

const MALFORMED_IDS = ["", "abc", "1", "-1", "00000000-0000-0000-0000-00000000000g", "00000000-0000-0000-0000-0000000000000", "{00000000-0000-0000-0000-000000000000}", "%zz", "%00", "%2F", "..", "%2e%2e", "aggregate", "x".repeat(2_000), "客户", "' or 1=1 --", "null", "__proto__"] as const;

export function idChoice(): fc.Arbitrary<IdChoice> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.record({ live: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ live: fc.nat(), upper: fc.constant(true) }) },
    { weight: 3, arbitrary: fc.uuid().map((literal) => ({ literal })) },
    { weight: 3, arbitrary: fc.constantFrom(...MALFORMED_IDS).map((literal) => ({ literal, raw: true })) },
    { weight: 1, arbitrary: anyString(20).map((literal) => ({ literal })) },
  );
}

/** `If-Match` values: absent, plausible ETags, and garbage a client could send. */
export function ifMatch(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.constantFrom('"1"', '"2"', 'W/"1"', "*", '"0"', '"999999999"', '"9999999999"', '"-1"', '""', "1", '"1", "2"', '*, "1"', 'W/""', '"abc"', "W/", '"1.5"', '"1e3"', ' "1" ', "\u00ff") },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, "").trim()) },
  );
}

function idempotencyKey(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom("key-1", "key-2", "key-3") },
    { weight: 1, arbitrary: fc.constantFrom(" ", "a b", "x".repeat(256), "\u00e9t\u00e9", "*", '"') },
  );
}

/** Route entity keys: mostly the real one, sometimes unknown or hostile. */
function routeEntity(entity: EntityDefinition): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 30, arbitrary: fc.constant(entity.key) },
    { weight: 1, arbitrary: fc.constantFrom("nope", entity.key.toUpperCase(), "__proto__", "constructor", "toString", "hasOwnProperty", "%zz", "entity_definitions", "..", "%2e%2e", "a%2Fb", "客户") },
  );
}

/** Every write route (and GET by id) of one entity, with almost-valid records and noise. */
export function writePlan(entity: EntityDefinition, pool: IdPool): fc.Arbitrary<WritePlan> {
  const key = routeEntity(entity);
  const update = almostValidRecord(entity, pool, "update");
  const noise = anyJsonOrHeavy();
  const version = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(1, 2) }, { weight: 1, arbitrary: anyJson(1) });
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("create" as const), entity: key, body: createBody(entity, pool), envelope: envelope(), idempotencyKey: idempotencyKey() }, { requiredKeys: ["kind", "entity", "body", "envelope"] }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("updateMany" as const),
        entity: key,
        items: fc.oneof({ weight: 6, arbitrary: fc.array(fc.record({ id: idChoice(), version, changes: update }, { requiredKeys: ["id", "changes"] }), { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: noise.map((n) => ({ noise: n })) }),
        envelope: envelope(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("removeMany" as const),
        entity: key,
        ids: fc.oneof({ weight: 3, arbitrary: fc.array(idChoice(), { minLength: 1, maxLength: 3 }) }, { weight: 2, arbitrary: fc.oneof(noise, fc.constantFrom({ ids: [] }, { ids: "x" }, { ids: null }, { ids: [1] }, { ids: Array.from({ length: 501 }, () => "00000000-0000-0000-0000-000000000000") })).map((n) => ({ noise: n })) }),
        envelope: envelope(),
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("get" as const), entity: key, id: idChoice(), query: fc.constantFrom("", "", "", "?fields=id", "?expand=account", "?x=1", "?%zz") }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("update" as const), entity: key, id: idChoice(), ifMatch: ifMatch(), body: fc.oneof({ weight: 5, arbitrary: update }, { weight: 1, arbitrary: noise }), envelope: envelope() }, { requiredKeys: ["kind", "entity", "id", "body", "envelope"] }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), entity: key, id: idChoice(), ifMatch: ifMatch() }, { requiredKeys: ["kind", "entity", "id"] }) },
  );
}

function resolveId(choice: IdChoice, live: string[]): { text: string; path: string } {
  if ("literal" in choice) return { text: choice.literal, path: choice.raw ? choice.literal : encode(choice.literal) };
  const id = live.length ? live[choice.live % live.length]! : "00000000-0000-4000-8000-000000000000";
  const text = choice.upper ? id.toUpperCase() : id;
  return { text, path: text };
}

/** The wire request of a plan, with live ids resolved; and what its 2xx answer must look like. */
export function materialize(plan: WritePlan, live: IdPool): { request: RawRequest; expect: Expect } {
  const ids = live.get(plan.entity) ?? [];
  const base = `/api/records/${plan.entity.includes("%") ? plan.entity : encode(plan.entity)}`;
  const withBody = (method: string, path: string, value: unknown, env: Envelope, headers: Record<string, string> = {}): RawRequest => {
    const encoded = encodeBody(value, env);
    return { method, path, headers: { ...encoded.headers, ...headers }, body: encoded.body };
  };
  switch (plan.kind) {
    case "create":
      return {
        request: withBody("POST", base, plan.body, plan.envelope, plan.idempotencyKey === undefined ? {} : { "idempotency-key": plan.idempotencyKey }),
        expect: Array.isArray(plan.body) ? "list" : "json",
      };
    case "updateMany": {
      const body = "noise" in plan.items ? plan.items.noise : plan.items.map((item) => ({ id: resolveId(item.id, ids).text, ...(item.version === undefined ? {} : { version: item.version }), ...item.changes }));
      return { request: withBody("PATCH", base, body, plan.envelope), expect: "list" };
    }
    case "removeMany": {
      const body = "noise" in plan.ids ? plan.ids.noise : { ids: plan.ids.map((id) => resolveId(id, ids).text) };
      return { request: withBody("DELETE", base, body, plan.envelope), expect: "json" };
    }
    case "get":
      return { request: { method: "GET", path: `${base}/${resolveId(plan.id, ids).path}${plan.query}` }, expect: "json" };
    case "update":
      return { request: withBody("PATCH", `${base}/${resolveId(plan.id, ids).path}`, plan.body, plan.envelope, plan.ifMatch === undefined ? {} : { "if-match": plan.ifMatch }), expect: "json" };
    case "remove":
      return { request: { method: "DELETE", path: `${base}/${resolveId(plan.id, ids).path}`, headers: plan.ifMatch === undefined ? {} : { "if-match": plan.ifMatch } }, expect: "json" };
  }
}
