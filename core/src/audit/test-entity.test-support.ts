import type { EntityDefinition } from "../definition/types.ts";
import { entity, field, options } from "../migration/test-fixtures.ts";

/** An entity with every kind of value the history compares, plus one secret and one unaudited field. */
export const ticket: EntityDefinition = entity("ticket", [
  field("text", { key: "title" }),
  field("integer", { key: "views", audit: false }),
  field("text", { key: "apiKey", secret: true }),
  field("currency", { key: "price" }),
  field("multiSelect", { key: "tags", options: options("red", "green", "blue") }),
  field("relation", { key: "watchers", relation: "manyToMany", target: "ticket" }),
  field("relation", { key: "parent", relation: "manyToOne", target: "ticket", onDelete: "setNull" }),
  field("relation", { key: "children", relation: "oneToMany", target: "ticket", inverse: "parent" }),
  field("json", { key: "meta" }),
  field("boolean", { key: "open" }),
]);

export const U1 = "00000000-0000-4000-8000-000000000001";
export const U2 = "00000000-0000-4000-8000-000000000002";
export const R1 = "00000000-0000-4000-8000-0000000000a1";
export const R2 = "00000000-0000-4000-8000-0000000000a2";

/** A record as the API renders it, system fields included. */
export function ticketJson(values: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: R1, createdAt: "2024-01-01T00:00:00.000Z", updatedAt: "2024-01-01T00:00:00.000Z", createdBy: U1, updatedBy: U1, version: 1, ownerId: U1,
    title: null, views: null, apiKey: null, price: null, tags: null, watchers: [], parent: null, meta: null, open: null,
    ...values,
  };
}

/** Pairs of (before, after) covering every rule; the SQL and the JS diff must agree on each. */
export const DIFF_CASES: Array<{ name: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; expected: Record<string, { old: unknown; new: unknown }> }> = [
  {
    name: "create: every field with a value, old null; empty lists and nulls left out",
    before: null,
    after: ticketJson({ title: "Printer", views: 3, price: { amount: 9.5, currency: "EUR" }, tags: ["red"], open: false }),
    expected: { ownerId: { old: null, new: U1 }, title: { old: null, new: "Printer" }, price: { old: null, new: { amount: 9.5, currency: "EUR" } }, tags: { old: null, new: ["red"] }, open: { old: null, new: false } },
  },
  {
    name: "delete: every field with a value, new null",
    before: ticketJson({ title: "Printer", watchers: [R2] }),
    after: null,
    expected: { ownerId: { old: U1, new: null }, title: { old: "Printer", new: null }, watchers: { old: [R2], new: null } },
  },
  {
    name: "update: system fields other than the owner ignored",
    before: ticketJson({ title: "a" }),
    after: ticketJson({ title: "a", version: 2, updatedAt: "2024-02-01T00:00:00.000Z", updatedBy: U2 }),
    expected: {},
  },
  {
    name: "update: owner transfer and an unaudited field",
    before: ticketJson({ views: 1 }),
    after: ticketJson({ ownerId: U2, views: 2 }),
    expected: { ownerId: { old: U1, new: U2 } },
  },
  {
    name: "update: secret values redacted, the change kept",
    before: ticketJson({ apiKey: "old-secret" }),
    after: ticketJson({ apiKey: "new-secret" }),
    expected: { apiKey: { old: "[redacted]", new: "[redacted]" } },
  },
  {
    name: "update: a secret set for the first time",
    before: ticketJson(),
    after: ticketJson({ apiKey: "s" }),
    expected: { apiKey: { old: null, new: "[redacted]" } },
  },
  {
    name: "update: lists compare as sets; an empty list is no value",
    before: ticketJson({ tags: ["red", "green"], watchers: [R1, R2] }),
    after: ticketJson({ tags: ["green", "red"], watchers: [] }),
    expected: { watchers: { old: [R1, R2], new: null } },
  },
  {
    name: "update: currency compares whole objects, whatever their key order",
    before: ticketJson({ price: { amount: 1, currency: "EUR" } }),
    after: ticketJson({ price: { currency: "EUR", amount: 1 } }),
    expected: {},
  },
  {
    name: "update: currency code change",
    before: ticketJson({ price: { amount: 1, currency: "EUR" } }),
    after: ticketJson({ price: { amount: 1, currency: "USD" } }),
    expected: { price: { old: { amount: 1, currency: "EUR" }, new: { amount: 1, currency: "USD" } } },
  },
  {
    name: "update: json values compare structurally, nulls inside kept",
    before: ticketJson({ meta: { a: [1, { b: null }] }, parent: R2 }),
    after: ticketJson({ meta: { a: [1, { b: null }], c: null }, parent: null }),
    expected: { meta: { old: { a: [1, { b: null }] }, new: { a: [1, { b: null }], c: null } }, parent: { old: R2, new: null } },
  },
  {
    name: "update: false and 0 are values",
    before: ticketJson({ open: null }),
    after: ticketJson({ open: false }),
    expected: { open: { old: null, new: false } },
  },
];
