import { describe, expect, it } from "vitest";
import { historyInsertSql } from "./history-sql.ts";
import { toStatement } from "../migration/sql.ts";
import { diffRecords } from "./diff-records.ts";
import { DIFF_CASES, R1, ticket, U1 } from "./test-entity.test-support.ts";

describe("diffRecords", () => {
  it.each(DIFF_CASES)("$name", ({ before, after, expected }) => {
    expect(diffRecords(ticket, before, after)).toEqual(expected);
  });

  it("never lists system fields other than the owner, nor oneToMany fields", () => {
    const changes = diffRecords(ticket, null, { id: R1, version: 1, createdAt: "x", children: [R1], title: "t" });
    expect(Object.keys(changes)).toEqual(["title"]);
  });

  it("treats a field the definition turns off as absent", () => {
    const quiet = { ...ticket, fields: ticket.fields.map((f) => (f.key === "title" ? { ...f, audit: false } : f)) };
    expect(diffRecords(quiet, { title: "a" }, { title: "b" })).toEqual({});
  });
});

describe("historyInsertSql", () => {
  const actor = { kind: "user", userId: U1 } as const;

  it("writes one multi-row INSERT with every value a parameter, changes stored by field id", () => {
    const fragment = historyInsertSql([
      { entity: ticket, recordId: R1, action: "create", actor, requestId: "req-1", changes: { title: { old: null, new: "x'); drop table t; --" } } },
      { entity: ticket, recordId: R1, action: "delete", actor, changes: {} },
    ]);
    const statement = toStatement(fragment!);
    expect(statement.text).toMatch(/^INSERT INTO "record_history" \(.*\) VALUES \(.*\), \(.*\)$/);
    expect(statement.text).not.toContain("drop table");
    expect(statement.params).toContain(JSON.stringify({ "f-title": { old: null, new: "x'); drop table t; --" } }));
    expect(statement.params).toContain("{}");
  });

  it("skips updates that changed nothing audited, and returns nothing when nothing is left", () => {
    expect(historyInsertSql([{ entity: ticket, recordId: R1, action: "update", actor, changes: {} }])).toBeUndefined();
    expect(historyInsertSql([])).toBeUndefined();
  });

  it("refuses a change of a field the entity does not have", () => {
    expect(() => historyInsertSql([{ entity: ticket, recordId: R1, action: "update", actor, changes: { nope: { old: 1, new: 2 } } }])).toThrow(/no field "nope"/);
  });
});
