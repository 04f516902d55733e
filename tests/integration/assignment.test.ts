import { beforeAll, describe, expect, it } from "vitest";
import { AssignmentFilterError, pickAssignee, resolvePeople } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("owner assignment on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;
  let reps: string[];

  const pick = (options: Omit<Parameters<typeof pickAssignee>[1], "candidates"> & { candidates?: readonly string[] }) =>
    server.runtime.db.transaction((tx) => pickAssignee(tx, { candidates: reps, ...options }));
  const opportunity = () => server.runtime.registry.find("opportunity")!.definition;

  beforeAll(async () => {
    org = await buildOrg(server);
    // owner, teammate, colleague and outsider hold sales_rep, in name order.
    reps = await resolvePeople(server.runtime.db, { roles: ["sales_rep"] });
    expect(reps).toHaveLength(4);
  });

  it("goes round the candidates in order, one turn per rotation key, and carries on where it stopped", async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push((await pick({ key: "rr-a", strategy: "roundRobin" }))!);
    expect(seen).toEqual([...reps, reps[0], reps[1]]);
    // Another rotation starts from the first candidate.
    expect(await pick({ key: "rr-b", strategy: "roundRobin" })).toBe(reps[0]);
    // A candidate who left the set (deactivated, moved) is skipped; the turn goes on from the start.
    expect(await pick({ key: "rr-a", strategy: "roundRobin", candidates: [reps[0]!, reps[3]!] })).toBe(reps[0]);
    expect(await pick({ key: "rr-a", strategy: "roundRobin", candidates: [] })).toBeNull();
  });

  it("hands out turns exactly once under concurrent assignments", async () => {
    const picks = await Promise.all(Array.from({ length: 8 }, () => pick({ key: "rr-race", strategy: "roundRobin" })));
    const counts = new Map<string, number>();
    for (const user of picks) counts.set(user!, (counts.get(user!) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2, 2]);
  });

  it("gives the next record to whoever holds the fewest open ones, ties in turn", async () => {
    const { owner, teammate, colleague, outsider } = org.users;
    const account = (await server.request("POST", "/api/records/account", { name: "Load test account" })).body.id;
    const open = async (userId: string, count: number, stage = "prospecting") => {
      for (let i = 0; i < count; i++) {
        const res = await server.request("POST", "/api/records/opportunity", { name: `Load ${userId.slice(0, 4)} ${i}`, account, stage, ownerId: userId });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    };
    await open(owner.id, 3);
    await open(teammate.id, 1);
    await open(colleague.id, 2);
    await open(outsider.id, 2);
    // Closed deals are not load.
    await open(teammate.id, 5, "closed_won");
    const openFilter = ["stage:nin:(closed_won,closed_lost)"];
    const balanced = () => pick({ key: "lb", strategy: "loadBalanced", entity: opportunity(), openFilter });
    expect(await balanced()).toBe(teammate.id);
    await open(teammate.id, 1);
    // colleague, outsider and teammate now hold 2 each: the tie goes round from the last one chosen.
    const next = await balanced();
    expect([colleague.id, outsider.id]).toContain(next);
    await open(next!, 1);
    const after = await balanced();
    expect([colleague.id, outsider.id, teammate.id].filter((u) => u !== next)).toContain(after);
    // Without a filter every record counts: the teammate's closed deals make them the busiest.
    expect(await pick({ key: "lb-all", strategy: "loadBalanced", entity: opportunity() })).not.toBe(teammate.id);
  });

  it("reports an open filter that does not fit the entity as a definition error", async () => {
    await expect(pick({ key: "lb-bad", strategy: "loadBalanced", entity: opportunity(), openFilter: ["colour:eq:red"] })).rejects.toBeInstanceOf(AssignmentFilterError);
    await expect(pick({ key: "lb-bad", strategy: "loadBalanced" })).rejects.toBeInstanceOf(AssignmentFilterError);
  });
});
