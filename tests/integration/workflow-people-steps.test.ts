import { beforeAll, describe, expect, it } from "vitest";
import { loadShippedWorkflows } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { waitFor } from "./support/webhook-receiver.ts";

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_BACKOFF_MS: "50", WORKFLOW_JOB_POLL_MS: "500" };

async function runOf(server: TestServer, entity: string, recordId: string, workflowId: string) {
  const run = await waitFor(
    async () => ((await server.request("GET", `/api/admin/workflow-runs?entity=${entity}&recordId=${recordId}`)).body.items as Array<{ id: string; workflowId: string; status: string }>).find((r) => r.workflowId === workflowId && (r.status === "succeeded" || r.status === "failed")),
    15_000,
    `a finished ${workflowId} run`,
  );
  return (await server.request("GET", `/api/admin/workflow-runs/${run.id}`)).body;
}

describe.each(databaseTargets)("workflow steps that name people on $name", (target) => {
  const server = useTestServer(target, { env: FAST });
  let org: Org;
  let reps: string[];

  beforeAll(async () => {
    org = await buildOrg(server);
    reps = [org.users.colleague.id, org.users.outsider.id, org.users.owner.id, org.users.teammate.id];
  });

  it("runs the shipped lead assignment: ownerless leads go to the sales reps in turn, each told in-app and by email", async () => {
    const shipped = loadShippedWorkflows().find((w) => w.id === "lead-assignment")!;
    const saved = await server.request("POST", "/api/admin/workflows", shipped);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const leads: string[] = [];
    for (let i = 0; i < 4; i++) {
      // A web form's role token creates leads nobody owns.
      const created = await server.request("POST", "/api/records/lead", { lastName: `Web ${i}`, company: `Co ${i}`, status: "new", source: "web" }, org.tokens.salesRep.headers);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.ownerId).toBeNull();
      leads.push(created.body.id);
      const run = await runOf(server, "lead", created.body.id, "lead-assignment");
      expect(run.status, JSON.stringify(run.steps)).toBe("succeeded");
    }
    const owners = await server.sql<{ owner: string }>(`select "ownerId"::text as owner from data.lead where id = any($1::uuid[])`, [`{${leads.join(",")}}`]);
    expect(new Set(owners.map((o) => o.owner))).toEqual(new Set(reps));
    const inbox = await server.request("GET", "/api/me/notifications", undefined, org.users.owner.headers);
    expect(inbox.body.items[0]).toMatchObject({ subject: expect.stringMatching(/^New lead: Web \d \(Co \d\)$/), source: { kind: "workflow" }, link: { entity: "lead" } });
    const emails = (await server.request("GET", "/api/admin/emails?status=recorded")).body.items as Array<{ to: string; subject: string }>;
    expect(emails.filter((e) => e.subject.startsWith("New lead: Web"))).toHaveLength(4);
    // A lead a rep enters themselves keeps its owner.
    const own = await server.request("POST", "/api/records/lead", { lastName: "Mine", company: "Own Co", status: "new" }, org.users.teammate.headers);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await server.request("GET", `/api/records/lead/${own.body.id}`)).body.ownerId).toBe(org.users.teammate.id);
  });

  it("assigns by rules, and to the least-loaded rep by open records", async () => {
    const account = (await server.request("POST", "/api/records/account", { name: "Rules Inc" })).body.id;
    const definition = {
      id: "deal-routing",
      name: "Route new deals",
      enabled: true,
      entity: "opportunity",
      trigger: { type: "recordCreated", condition: "isNull(ownerId)" },
      steps: [
        {
          id: "big",
          type: "condition",
          if: "amount.amount >= 100000",
          then: [{ id: "by-rule", type: "assignOwner", strategy: "rules", rules: [{ when: "amount.amount >= 100000", userId: org.users.manager.id }] }],
          else: [{ id: "balanced", type: "assignOwner", strategy: "loadBalanced", pool: { teams: [org.teams.east] }, openFilter: ["stage:nin:(closed_won,closed_lost)"] }],
        },
        { id: "tell", type: "notify", recipients: { owner: true, ownerManager: true }, subject: '"Deal assigned: " & name' },
      ],
    };
    expect((await server.request("POST", "/api/admin/workflows", definition)).status).toBe(201);
    // The teammate holds more open deals than the owner.
    for (let i = 0; i < 2; i++) await server.request("POST", "/api/records/opportunity", { name: `Held ${i}`, account, stage: "proposal", ownerId: org.users.teammate.id });
    const deal = async (name: string, amount: number) => {
      const created = await server.request("POST", "/api/records/opportunity", { name, account, stage: "prospecting", amount: { amount, currency: "EUR" } }, org.tokens.salesRep.headers);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const run = await runOf(server, "opportunity", created.body.id, "deal-routing");
      expect(run.status, JSON.stringify(run.steps)).toBe("succeeded");
      return (await server.request("GET", `/api/records/opportunity/${created.body.id}`)).body.ownerId as string;
    };
    expect(await deal("Huge", 250_000)).toBe(org.users.manager.id);
    expect(await deal("Small", 5_000)).toBe(org.users.owner.id);
    const managerInbox = await server.request("GET", "/api/me/notifications", undefined, org.users.manager.headers);
    expect(managerInbox.body.items.map((n: { subject: string }) => n.subject)).toContain("Deal assigned: Huge");
  });
});
