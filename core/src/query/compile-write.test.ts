import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "../definition/types.ts";
import { sql, toStatement } from "../migration/sql.ts";
import { compileInsert, insertFragment } from "./compile-write.ts";
import { recordJson } from "./record-json.ts";
import { account, contact, deal } from "./test-entities.test-support.ts";

const ID = ["0b7e7a52-3c1d-4f7e-9a55-0c1f2e3d4a5b", "1c8f8b63-4d2e-4a8f-8b66-1d2a3f4e5b6c", "2d9a9c74-5e3f-4b9a-9c77-2e3b4a5f6c7d"];
const ACTOR = "3eab0d85-6f4a-4cab-8d88-3f4c5b6a7d8e";
const OTHER = "4fbc1e96-7a5b-4dbc-9e99-4a5d6c7b8e9f";

type Records = Parameters<typeof insertFragment>[1];
type Options = Parameters<typeof insertFragment>[2];

/** The statement from a definition object seen for the first time (nothing cached for it). */
function cold(entity: EntityDefinition, records: Records, options: Options) {
  return compileInsert(structuredClone(entity), records, options);
}

describe("compileInsert", () => {
  it("inserts the given fields as typed parameters, the actor twice and the caller as owner", () => {
    const { statement, returnsRecords } = compileInsert(deal, [{ id: ID[0]!, title: "Big", amount: { amount: 10.5, currency: "EUR" }, closeDate: null }], { actor: ACTOR, owner: ACTOR });
    const r = toStatement(recordJson(deal, "t")).text;
    expect(returnsRecords).toBe(true);
    expect(statement.text.split(r).join("<r>")).toBe(
      `INSERT INTO "data"."deal" AS t ("id", "createdBy", "updatedBy", "ownerId", "title", "amount", "amount_currency", "closeDate") ` +
        `VALUES ($1::uuid, $2::uuid, $2::uuid, $2::uuid, $3::text, $4::numeric, $5::text, NULL) RETURNING <r> AS r`,
    );
    expect(statement.params).toEqual([ID[0], ACTOR, "Big", "10.5", "EUR"]);
  });

  // Statement texts are cached per definition and shape; a later create binds its own values into
  // the cached text, and must get exactly the statement it would get with nothing cached.
  const shapes: Array<{ name: string; entity: EntityDefinition; first: Records; then: Records; options?: Partial<Options> }> = [
    { name: "same fields, other values", entity: deal, first: [{ id: ID[0]!, title: "A", stage: "lead" }], then: [{ id: ID[1]!, title: "B", stage: "won" }] },
    { name: "values equal to each other share a parameter", entity: deal, first: [{ id: ID[0]!, title: "A", stage: "lead" }], then: [{ id: ID[1]!, title: "won", stage: "won" }] },
    { name: "a value that equals the actor", entity: deal, first: [{ id: ID[0]!, title: "A", account: OTHER }], then: [{ id: ID[1]!, title: "B", account: ACTOR }] },
    { name: "null instead of a value", entity: deal, first: [{ id: ID[0]!, title: "A", amount: { amount: 1, currency: "EUR" } }], then: [{ id: ID[1]!, title: "A", amount: null }] },
    { name: "other fields of the same types", entity: deal, first: [{ id: ID[0]!, title: "A" }], then: [{ id: ID[1]!, stage: "won" }] },
    {
      name: "the same fields missing in other records",
      entity: deal,
      first: [{ id: ID[0]!, title: "A", stage: "won" }, { id: ID[1]!, title: "B" }],
      then: [{ id: ID[1]!, title: "A" }, { id: ID[2]!, title: "B", stage: "won" }],
    },
    { name: "other fields present", entity: contact, first: [{ id: ID[0]!, firstName: "Ann", score: 1.5 }], then: [{ id: ID[1]!, email: "a@b.c", lastContacted: "2025-01-01T00:00:00.000Z" }] },
    { name: "an owner given", entity: deal, first: [{ id: ID[0]!, title: "A" }], then: [{ id: ID[1]!, title: "A", ownerId: OTHER }] },
    { name: "no owner at all", entity: deal, first: [{ id: ID[0]!, title: "A" }], then: [{ id: ID[1]!, title: "A" }], options: { owner: null } },
    {
      name: "a batch with fields missing in some records",
      entity: account,
      first: [{ id: ID[0]!, name: "A", regions: ["emea"] }],
      then: [
        { id: ID[1]!, name: "B", regions: ["apac", "amer"], meta: { a: 1 } },
        { id: ID[2]!, employees: 5, active: false, founded: "2020-02-02" },
      ],
    },
    { name: "text records", entity: deal, first: [{ id: ID[0]!, title: "A" }], then: [{ id: ID[1]!, title: "B" }], options: { textRecords: true } },
  ];
  for (const { name, entity, first, then, options } of shapes) {
    it(`binds into a cached statement: ${name}`, () => {
      const opts: Options = { actor: ACTOR, owner: ACTOR, ...options };
      expect(compileInsert(entity, first, opts)).toEqual(cold(entity, first, opts));
      expect(compileInsert(entity, then, opts)).toEqual(cold(entity, then, opts));
      // Twice from the cache, as a fragment composed into a larger statement too.
      expect(compileInsert(entity, then, opts)).toEqual(cold(entity, then, opts));
      const composed = (e: EntityDefinition) => toStatement(sql`WITH "ins" AS (${insertFragment(e, then, opts).fragment}) SELECT 1`);
      expect(composed(entity)).toEqual(composed(structuredClone(entity)));
    });
  }

  it("reads manyToMany links back instead of returning records", () => {
    const { statement, returnsRecords } = compileInsert(account, [{ id: ID[0]!, name: "A", labels: [OTHER] }], { actor: null });
    expect(returnsRecords).toBe(false);
    expect(statement.text).toMatch(/RETURNING t\."id"$/);
    expect(statement.params).toEqual([ID[0], null, "A"]);
  });
});
