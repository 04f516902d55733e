import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "../definition/types.ts";
import { raw, toStatement } from "../migration/sql.ts";
import type { SqlStatement } from "../migration/types.ts";
import { compileAggregate } from "./compile-aggregate.ts";
import { compileExpand } from "./compile-expand.ts";
import { compileList } from "./compile-list.ts";
import { encodeCursor } from "./cursor.ts";
import { aggregateQuery, listQuery } from "./pglite-query.test-support.ts";
import { recordJson } from "./record-json.ts";
import { searchDocument, searchIndexName, searchIndexSql, searchTsQuery } from "./search.ts";
import { account, counter, deal, rowPolicy, tag } from "./test-entities.test-support.ts";

/** Golden SQL: the record JSON expression (tested with record-json) is shown as <r>. */
function golden(statement: SqlStatement | undefined, entity: EntityDefinition, fields?: string[]) {
  const r = toStatement(recordJson(entity, "t", fields)).text;
  return { text: statement!.text.split(r).join("<r>"), params: statement!.params };
}
const UUID = "0b7e7a52-3c1d-4f7e-9a55-0c1f2e3d4a5b";

describe("compileList", () => {
  it("lists in id order, one row more than the limit", () => {
    expect(golden(compileList(listQuery(tag, "")).statement, tag)).toEqual({
      text: String.raw`SELECT <r> AS r, jsonb_build_array("t"."id") AS k FROM "data"."tag" "t" ORDER BY "t"."id" ASC NULLS LAST LIMIT $1::int`,
      params: [51],
    });
    expect(compileList(listQuery(tag, "")).countStatement).toBeUndefined();
  });

  it("compiles every operator with typed parameters and one join per hop path", () => {
    const filter = String.raw`and(title:contains:50%_x\,title:startsWith:ab,amount:gte:10,amount.currency:in:(EUR,USD),stage:nin:(won),closeDate:lt:2024-01-01,closedAt:ne:2024-01-01,account:eq:${UUID},account.active:eq:true,or(account.regions:contains:emea,account.regions:in:(apac),account.regions:nin:(amer),account.regions:isNull),not(account.meta:isNull),account.owner.name:isNull:false,version:lte:3,id:in:())`;
    expect(golden(compileList(listQuery(deal, `limit=10&filter=${encodeURIComponent(filter)}`)).statement, deal)).toEqual({
      text:
        String.raw`SELECT <r> AS r, jsonb_build_array("t"."id") AS k FROM "data"."deal" "t" LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account" LEFT JOIN "data"."user" "j2" ON "j2"."id" = "j1"."owner" ` +
        String.raw`WHERE ("t"."title" ILIKE $1::text ESCAPE '\' AND "t"."title" ILIKE $2::text ESCAPE '\' AND "t"."amount" >= $3::numeric AND "t"."amount_currency" = ANY($4::text[]) ` +
        String.raw`AND ("t"."stage" IS NULL OR "t"."stage" <> ALL($5::text[])) AND "t"."closeDate" < $6::date AND "t"."closedAt" IS DISTINCT FROM $7::timestamptz AND "t"."account" = $8::uuid ` +
        String.raw`AND "j1"."active" = $9::boolean AND ("j1"."regions" @> $10::text[] OR "j1"."regions" && $11::text[] OR ("j1"."regions" IS NULL OR NOT ("j1"."regions" && $12::text[])) ` +
        String.raw`OR ("j1"."regions" IS NULL OR cardinality("j1"."regions") = 0)) AND NOT COALESCE(("j1"."meta" IS NULL OR jsonb_typeof("j1"."meta") = 'null'), false) ` +
        String.raw`AND "j2"."name" IS NOT NULL AND "t"."version" <= $13::bigint AND "t"."id" = ANY($14::uuid[])) ORDER BY "t"."id" ASC NULLS LAST LIMIT $15::int`,
      params: [String.raw`%50\%\_x\\%`, "ab%", 10, '{"EUR","USD"}', '{"won"}', "2024-01-01", "2024-01-01T00:00:00Z", UUID, true, '{"emea"}', '{"apac"}', '{"amer"}', 3, "{}", 11],
    });
  });

  it("continues after a cursor with the expanded OR form, NULLs decided from the values", () => {
    const sort = "sort=-amount,account.name,closeDate&fields=title";
    const cursor = encodeCursor(listQuery(deal, sort), ["10.00", null, "2024-01-01", UUID]);
    expect(golden(compileList(listQuery(deal, `${sort}&cursor=${cursor}`)).statement, deal, ["title"])).toEqual({
      text:
        String.raw`SELECT <r> AS r, jsonb_build_array("t"."amount"::text, "j1"."name", "t"."closeDate", "t"."id") AS k FROM "data"."deal" "t" LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account" ` +
        String.raw`WHERE ("t"."amount" <= $1::numeric AND ("t"."amount" <> $1::numeric OR (("j1"."name" IS NULL AND ("t"."closeDate" > $2::date OR "t"."closeDate" IS NULL)) ` +
        String.raw`OR ("j1"."name" IS NULL AND "t"."closeDate" = $2::date AND "t"."id" > $3::uuid)))) ` +
        String.raw`ORDER BY "t"."amount" DESC NULLS FIRST, "j1"."name" ASC NULLS LAST, "t"."closeDate" ASC NULLS LAST, "t"."id" ASC NULLS LAST LIMIT $4::int`,
      params: ["10.00", "2024-01-01", UUID, 51],
    });
    const nulls = "sort=amount,-closeDate&fields=title";
    const after = encodeCursor(listQuery(deal, nulls), [null, null, UUID]);
    expect(golden(compileList(listQuery(deal, `${nulls}&cursor=${after}`)).statement, deal, ["title"]).text).toContain(
      String.raw`WHERE (("t"."amount" IS NULL AND "t"."closeDate" IS NOT NULL) OR ("t"."amount" IS NULL AND "t"."closeDate" IS NULL AND "t"."id" > $1::uuid)) ORDER BY`,
    );
  });

  it("counts with the same filter, search and scope, joining only what the filter needs", () => {
    const { statement, countStatement } = compileList(listQuery(deal, "count=true&q=Acme-Inc&filter=account.name:eq:x&sort=account.owner.name"), { policy: rowPolicy((_, alias) => (alias === "t" ? `"t"."createdBy" IS NULL` : undefined)) });
    expect(countStatement).toEqual({
      text:
        String.raw`SELECT count(*)::int AS count FROM "data"."deal" "t" LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account" WHERE "j1"."name" = $1::text ` +
        String.raw`AND to_tsvector('simple', regexp_replace(coalesce("t"."title", ''), '[[:punct:]]+', ' ', 'g')) @@ to_tsquery('simple', $2::text) AND ("t"."createdBy" IS NULL)`,
      params: ["x", "'acme':* & 'inc':*"],
    });
    expect(statement.text).toContain(String.raw`LEFT JOIN "data"."user" "j2" ON "j2"."id" = "j1"."owner" WHERE "j1"."name" = $1::text AND to_tsvector(`);
  });

  it("reads a related id from the foreign key without joining", () => {
    expect(compileList(listQuery(deal, `filter=account.id:eq:${UUID}&sort=account.id`)).statement.text).toContain(
      String.raw`jsonb_build_array("t"."account", "t"."id") AS k FROM "data"."deal" "t" WHERE "t"."account" = $1::uuid ORDER BY "t"."account" ASC NULLS LAST`,
    );
  });
});

describe("compileAggregate", () => {
  it("groups, buckets in UTC, names metrics and orders by the sort then the other groups", () => {
    const query = aggregateQuery(deal, "groupBy=stage,closedAt:week,closeDate:quarter,account.industry&metrics=count,sum:amount,avg:amount,min:closedAt,max:closeDate&sort=-sum:amount,stage&limit=5");
    expect(compileAggregate(query, { policy: rowPolicy((_, alias) => (alias === "t" ? "true" : undefined)) })).toEqual({
      text:
        String.raw`SELECT jsonb_build_object('stage', "t"."stage", 'closedAt', to_char(date_trunc('week', ("t"."closedAt" AT TIME ZONE 'UTC')), 'YYYY-MM-DD'), ` +
        String.raw`'closeDate', to_char(date_trunc('quarter', "t"."closeDate"::timestamp), 'YYYY-MM-DD'), 'account.industry', "j1"."industry") AS key, count(*)::int AS count, ` +
        String.raw`jsonb_build_object('count', count(*), 'sum:amount', sum("t"."amount"), 'avg:amount', avg("t"."amount"), ` +
        String.raw`'min:closedAt', to_char(min("t"."closedAt") AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'max:closeDate', to_char(max("t"."closeDate"), 'YYYY-MM-DD')) AS metrics ` +
        String.raw`FROM "data"."deal" "t" LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account" WHERE (true) ` +
        String.raw`GROUP BY "t"."stage", date_trunc('week', ("t"."closedAt" AT TIME ZONE 'UTC')), date_trunc('quarter', "t"."closeDate"::timestamp), "j1"."industry" ` +
        String.raw`ORDER BY sum("t"."amount") DESC NULLS FIRST, "t"."stage" ASC NULLS LAST, date_trunc('week', ("t"."closedAt" AT TIME ZONE 'UTC')) ASC NULLS LAST, ` +
        String.raw`date_trunc('quarter', "t"."closeDate"::timestamp) ASC NULLS LAST, "j1"."industry" ASC NULLS LAST LIMIT $1::int`,
      params: [5],
    });
  });

  it("aggregates everything into one row without groups", () => {
    expect(compileAggregate(aggregateQuery(counter, "metrics=max:value"))).toEqual({
      text: String.raw`SELECT jsonb_build_object() AS key, count(*)::int AS count, jsonb_build_object('max:value', max("t"."value")) AS metrics FROM "data"."counter" "t" LIMIT $1::int`,
      params: [100],
    });
  });
});

describe("compileExpand", () => {
  const [owner, contacts, labels] = listQuery(account, "expand=owner,contacts,labels").expand;
  const scope = { policy: rowPolicy(() => `"t"."version" > 0`) };

  it("loads manyToOne targets by id", () => {
    expect(golden(compileExpand(owner!, [UUID], scope), owner!.target)).toEqual({
      text: String.raw`SELECT <r> AS r FROM "data"."user" "t" WHERE "t"."id" = ANY($1::uuid[]) AND ("t"."version" > 0)`,
      params: [`{"${UUID}"}`],
    });
  });

  it("loads oneToMany children by the inverse, capped per parent", () => {
    expect(golden(compileExpand(contacts!, [UUID], scope), contacts!.target)).toEqual({
      text:
        String.raw`SELECT "parent", "r" FROM (SELECT "t"."account"::text AS parent, <r> AS r, row_number() OVER (PARTITION BY "t"."account" ORDER BY "t"."createdAt", "t"."id") AS n ` +
        String.raw`FROM "data"."contact" "t" WHERE "t"."account" = ANY($1::uuid[]) AND ("t"."version" > 0)) "s" WHERE "n" <= $2::int ORDER BY "parent", "n"`,
      params: [`{"${UUID}"}`, 100],
    });
  });

  it("loads manyToMany targets through the join table, capped per parent", () => {
    expect(golden(compileExpand(labels!, [UUID]), labels!.target)).toEqual({
      text:
        String.raw`SELECT "parent", "r" FROM (SELECT "j"."source"::text AS parent, <r> AS r, row_number() OVER (PARTITION BY "j"."source" ORDER BY "t"."createdAt", "t"."id") AS n ` +
        String.raw`FROM "data"."account_labels" "j" JOIN "data"."tag" "t" ON "t"."id" = "j"."target" WHERE "j"."source" = ANY($1::uuid[])) "s" WHERE "n" <= $2::int ORDER BY "parent", "n"`,
      params: [`{"${UUID}"}`, 100],
    });
  });
});

describe("search", () => {
  it.each<[string, string | undefined]>([
    ["acme", "'acme':*"],
    ["  Acme, Inc.  ", "'acme':* & 'inc':*"],
    ["C-0003", "'c':* & '0003':*"],
    ["o'reilly & co | !x:*", "'o':* & 'reilly':* & 'co':* & 'x':*"],
    ["Ünïcödé 客户", "'ünïcödé':* & '客户':*"],
    ["'&|!:*() -- ;", undefined],
    ["", undefined],
  ])("tsquery of %j", (q, expected) => expect(searchTsQuery(q)).toBe(expected));

  it("keeps at most 16 words", () => {
    expect(searchTsQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(" "))!.split(" & ")).toHaveLength(16);
  });

  it("indexes the same expression the queries use", () => {
    expect(searchIndexSql(account)).toEqual({
      text: String.raw`CREATE INDEX IF NOT EXISTS "${searchIndexName(account)}" ON "data"."account" USING gin (to_tsvector('simple', regexp_replace(coalesce("name", '') || ' ' || coalesce("website", ''), '[[:punct:]]+', ' ', 'g')))`,
      params: [],
    });
    expect(toStatement(searchDocument(account, "t")!).text).toBe(String.raw`to_tsvector('simple', regexp_replace(coalesce("t"."name", '') || ' ' || coalesce("t"."website", ''), '[[:punct:]]+', ' ', 'g'))`);
    expect(searchIndexSql(counter)).toBeUndefined();
  });

  it("names the index after the entity id and the searched field ids, not their keys", () => {
    expect(searchIndexName(account)).toMatch(/^ts_e-account\.[0-9a-f]{8}$/);
    const renamed = { ...account, key: "company", fields: account.fields.map((f) => (f.key === "name" ? { ...f, key: "title" } : f)) };
    expect(searchIndexName(renamed)).toBe(searchIndexName(account));
    const added = { ...account, fields: [...account.fields, { id: "f-notes", key: "notes", label: { en: "Notes" }, type: "longText" as const }] };
    expect(searchIndexName(added)).not.toBe(searchIndexName(account));
  });
});
