import { describe, expect, it } from "vitest";
import { attachExpanded, expandIds } from "./attach-expanded.ts";
import { expandRecords } from "./expand-records.ts";
import type { ResolvedExpand } from "./types.ts";
import { account, contact, tag, user } from "./test-entities.test-support.ts";

const relation = (entity: typeof account, key: string) => entity.fields.find((f) => f.key === key) as ResolvedExpand["field"];
const owner: ResolvedExpand = { source: account, field: relation(account, "owner"), target: user, children: [] };
const contacts: ResolvedExpand = { source: account, field: relation(account, "contacts"), target: contact, children: [] };
const labels: ResolvedExpand = { source: account, field: relation(account, "labels"), target: tag, children: [] };

describe("attachExpanded", () => {
  const parents = [
    { id: "a1", owner: "u1", labels: ["t1"] },
    { id: "a2", owner: "u1", labels: [] },
    { id: "a3", owner: null, labels: [] },
    { id: "a4", owner: "u9", labels: [] },
  ];

  it("collects the ids to load", () => {
    expect(expandIds(parents, owner)).toEqual(["u1", "u9"]);
    expect(expandIds(parents, contacts)).toEqual(["a1", "a2", "a3", "a4"]);
  });

  it("replaces manyToOne ids by records, leaving unknown ids and nulls alone", () => {
    const result = attachExpanded(parents, owner, [{ r: { id: "u1", name: "ann" } }]);
    expect(result.map((p) => p.owner)).toEqual([{ id: "u1", name: "ann" }, { id: "u1", name: "ann" }, null, "u9"]);
    expect(parents[0]!.owner).toBe("u1");
  });

  it("groups oneToMany and manyToMany children by parent, keeping their order", () => {
    const rows = [
      { parent: "a1", r: { id: "c1" } },
      { parent: "a2", r: { id: "c3" } },
      { parent: "a1", r: { id: "c2" } },
    ];
    expect(attachExpanded(parents, contacts, rows).map((p) => p["contacts"])).toEqual([[{ id: "c1" }, { id: "c2" }], [{ id: "c3" }], [], []]);
    expect(attachExpanded(parents, labels, [{ parent: "a1", r: { id: "t1" } }]).map((p) => p.labels)).toEqual([[{ id: "t1" }], [], [], []]);
  });

  it("runs one statement per relation and level", async () => {
    const nested: ResolvedExpand = { ...contacts, children: [{ source: contact, field: relation(contact, "account"), target: account, children: [] }] };
    const seen: string[] = [];
    const result = await expandRecords(parents, [owner, nested], async (statement) => {
      seen.push(statement.text.slice(0, 40));
      if (statement.text.includes(`"data"."user"`)) return [{ r: { id: "u1" } }];
      if (statement.text.includes(`"data"."contact"`)) return [{ parent: "a2", r: { id: "c1", account: "a2" } }];
      return [{ r: { id: "a2", name: "two" } }];
    });
    expect(seen).toHaveLength(3);
    expect(result[1]).toEqual({ id: "a2", owner: { id: "u1" }, labels: [], contacts: [{ id: "c1", account: { id: "a2", name: "two" } }] });
  });
});
