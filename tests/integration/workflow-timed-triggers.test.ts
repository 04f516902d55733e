import { beforeAll, describe, expect, it } from "vitest";
import { createLogger, createRuntime, loadConfig, loadShippedWorkflows, type Runtime } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { waitFor } from "./support/webhook-receiver.ts";

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_JOB_POLL_MS: "500" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Run = { id: string; workflowId: string; status: string; trigger: { type: string; at?: string }; steps: Array<{ stepId: string; status: string }> };

/** The engine's time, moved by the test. Starts 40 days ahead, two hours before a night run of the pool workflow (18:00 UTC = 02:00 in Shanghai). */
const clock = (() => {
  const start = new Date(Date.now() + 40 * DAY);
  start.setUTCHours(16, 0, 20, 0);
  let now = start.getTime();
  return { now: () => new Date(now), set: (ms: number) => (now = ms), start: start.getTime() };
})();
/** The pool workflow's night: 02:00 in Shanghai. */
const NIGHT = clock.start + 2 * HOUR;

/** The last Sunday of March or October (a daylight-saving change in Berlin) at least four days after `after`, as UTC midnight. */
function nextBerlinChange(after: number): { sunday: number; spring: boolean } {
  for (let year = new Date(after).getUTCFullYear(); ; year++) {
    for (const month of [3, 10]) {
      const last = new Date(Date.UTC(year, month, 0));
      const sunday = last.getTime() - last.getUTCDay() * DAY;
      if (sunday > after + 4 * DAY) return { sunday, spring: month === 3 };
    }
  }
}

describe.each(databaseTargets)("schedule and date-relative workflow triggers on $name", (target) => {
  const server = useTestServer(target, { env: FAST, clock });
  let org: Org;
  const runsOf = async (entity: string, recordId: string): Promise<Run[]> => (await server.request("GET", `/api/admin/workflow-runs?entity=${entity}&recordId=${recordId}`)).body.items;
  const finished = async (entity: string, recordId: string, workflowId: string, count = 1): Promise<Run[]> =>
    waitFor(async () => {
      const runs = (await runsOf(entity, recordId)).filter((r) => r.workflowId === workflowId);
      return runs.length >= count && runs.every((r) => r.status === "succeeded" || r.status === "failed") ? runs : undefined;
    }, 20_000, `${count} finished ${workflowId} run(s) of ${recordId}`);
  const create = async (entity: string, values: Record<string, unknown>) => {
    const res = await server.request("POST", `/api/records/${entity}`, values);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string } & Record<string, unknown>;
  };
  const get = async (entity: string, id: string) => (await server.request("GET", `/api/records/${entity}/${id}`)).body;
  const tick = (at: number) => {
    clock.set(at);
    return server.runtime.workflows.scheduler.tick(new Date(at));
  };

  beforeAll(async () => {
    // Each database's suite starts at the same virtual time (the previous one moved the clock on).
    clock.set(clock.start);
    // Only the test's ticks: the background one would tick whenever the virtual clock happens to be.
    await server.runtime.workflows.scheduler.stop();
    org = await buildOrg(server);
    await server.request("PATCH", `/api/admin/users/${org.users.owner.id}`, { managerId: org.users.manager.id });
    for (const id of ["account-public-pool", "opportunity-follow-up", "case-sla-escalation"]) {
      const saved = await server.request("POST", "/api/admin/workflows", loadShippedWorkflows().find((w) => w.id === id));
      expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    }
  });

  it("runs the shipped pool, follow-up and SLA workflows at their minutes, once, by the virtual clock", async () => {
    const owner = org.users.owner.id;
    const neglected = await create("account", { name: "Neglected Ltd", status: "active", ownerId: owner });
    const followed = await create("account", { name: "Followed Ltd", status: "active", ownerId: owner, lastFollowUpAt: new Date(clock.start - 2 * DAY).toISOString() });
    const quiet = await create("opportunity", { name: "Quiet deal", account: followed.id, stage: "proposal", ownerId: owner });
    const won = await create("opportunity", { name: "Won deal", account: followed.id, stage: "closed_won", ownerId: owner });
    const slaSoon = await create("serviceCase", { subject: "Printer on fire", priority: "medium", status: "open", ownerId: owner, slaDueAt: new Date(NIGHT - 30 * 60_000).toISOString() });
    const resolved = await create("serviceCase", { subject: "Solved", priority: "low", status: "resolved", ownerId: owner, slaDueAt: new Date(NIGHT - 30 * 60_000).toISOString() });
    // Its moment (an hour after the SLA) passed before it was even recorded: the write starts the run at once.
    const late = await create("serviceCase", { subject: "Already late", priority: "low", status: "open", ownerId: owner, slaDueAt: new Date(clock.start - 5 * HOUR).toISOString() });
    await finished("serviceCase", late.id, "case-sla-escalation");
    expect(await get("serviceCase", late.id)).toMatchObject({ status: "escalated", priority: "urgent", escalated: true });

    // 02:00 in Shanghai: the pool's night. The follow-up's last working-day 09:00 was missed (the clock jumped): caught up once.
    expect(await tick(NIGHT)).toBe(2);
    expect(await tick(NIGHT + 30_000)).toBe(0);
    const [pooled] = await finished("account", neglected.id, "account-public-pool");
    expect(pooled!.trigger).toMatchObject({ type: "schedule", at: new Date(NIGHT - 20_000).toISOString() });
    expect(await get("account", neglected.id)).toMatchObject({ ownerId: null, status: "public_pool" });
    expect(await get("account", followed.id)).toMatchObject({ ownerId: owner, status: "active" });
    const [reminded] = await finished("opportunity", quiet.id, "opportunity-follow-up");
    expect(reminded!.status).toBe("succeeded");
    expect(reminded!.trigger.at).toMatch(/T01:00:00\.000Z$/); // 09:00 in Shanghai
    expect(await runsOf("opportunity", won.id)).toEqual([]);
    const tasks = (await server.request("GET", `/api/records/activity?filter=opportunity:eq:${quiet.id}`)).body.items;
    expect(tasks.map((t: { subject: string; type: string }) => [t.subject, t.type])).toEqual([["Follow up: Quiet deal", "follow_up"]]);
    const inbox = (await server.request("GET", "/api/me/notifications", undefined, org.users.owner.headers)).body.items.map((n: { subject: string }) => n.subject);
    expect(inbox).toEqual(expect.arrayContaining(["Neglected Ltd returned to the public pool", "No activity on Quiet deal for 7 days"]));

    // An hour after the SLA: the open case is escalated, the resolved one is not, the late one not twice.
    expect(await tick(NIGHT + 29 * 60_000)).toBe(0);
    expect(await tick(NIGHT + 31 * 60_000)).toBe(1);
    const [escalation] = await finished("serviceCase", slaSoon.id, "case-sla-escalation");
    expect(escalation!.trigger).toMatchObject({ type: "dateRelative", at: new Date(NIGHT + 30 * 60_000).toISOString() });
    expect(await get("serviceCase", slaSoon.id)).toMatchObject({ status: "escalated", priority: "urgent", escalated: true });
    expect(await get("serviceCase", resolved.id)).toMatchObject({ status: "resolved", priority: "low" });
    expect(await runsOf("serviceCase", late.id)).toHaveLength(1);
    const managerInbox = (await server.request("GET", "/api/me/notifications", undefined, org.users.manager.headers)).body.items.map((n: { subject: string }) => n.subject);
    expect(managerInbox.some((s: string) => s.startsWith("SLA missed:") && s.endsWith("Printer on fire"))).toBe(true);
  });

  it.runIf(target.name === "postgres")("claims a minute once when two runtimes tick it together (PostgreSQL)", async () => {
    const owner = org.users.owner.id;
    const accounts = await Promise.all(Array.from({ length: 30 }, (_, i) => create("account", { name: `Forgotten ${i}`, status: "active", ownerId: owner })));
    const second: Runtime = await createRuntime(loadConfig({ DATABASE_URL: server.databaseUrl!, LOG_LEVEL: "silent", DATA_DIR: ":memory:", ...FAST }), { logger: createLogger("silent"), workflows: { clock } });
    try {
      await second.workflows.start();
      await second.workflows.scheduler.stop();
      const night = NIGHT + DAY;
      clock.set(night);
      const [before] = await server.sql<{ n: number }>(`select count(*)::int as n from workflow_runs`);
      const started = await Promise.all([server.runtime.workflows.scheduler.tick(new Date(night)), second.workflows.scheduler.tick(new Date(night))]);
      const [after] = await server.sql<{ n: number }>(`select count(*)::int as n from workflow_runs`);
      expect(started[0]! + started[1]!).toBe(after!.n - before!.n);
      const minute = new Date(night - 20_000).toISOString();
      const pooled = await server.sql<{ record_id: string }>(`select record_id::text as record_id from workflow_runs where workflow_id = 'account-public-pool' and trigger->>'at' = $1`, [minute]);
      expect(pooled.map((r) => r.record_id).sort()).toEqual(accounts.map((a) => a.id).sort());
      expect(await server.sql(`select 1 from workflow_trigger_claims where workflow_id = 'account-public-pool' and minute = $1::timestamptz`, [minute])).toHaveLength(1);
      await waitFor(async () => ((await server.sql<{ n: number }>(`select count(*)::int as n from workflow_runs where status not in ('succeeded', 'failed')`))[0]!.n === 0 ? true : undefined), 30_000, "every run finished");
    } finally {
      await second.close();
    }
  });

  it("fires a date-relative trigger a local calendar day before, across a daylight-saving change in Berlin, again when the date moves", async () => {
    const definition = {
      id: "day-before-in-berlin",
      name: "Mark activities the day before they are due",
      enabled: true,
      entity: "activity",
      trigger: { type: "dateRelative", field: "dueAt", offset: { amount: 1, unit: "days" }, direction: "before", timeZone: "Europe/Berlin" },
      steps: [{ id: "mark", type: "updateRecord", values: { notes: 'coalesce(notes, "") & "due tomorrow;"' } }],
    };
    for (const id of ["account-public-pool", "opportunity-follow-up", "case-sla-escalation"]) expect((await server.request("POST", `/api/admin/workflows/${id}/disable`)).status).toBe(200);
    expect((await server.request("POST", "/api/admin/workflows", definition)).status).toBe(201);
    const { sunday, spring } = nextBerlinChange(clock.now().getTime());
    // 10:00 on the Sunday of the change in Berlin, and 10:00 on the Saturday before: 23 hours apart in spring, 25 in autumn.
    const dueAt = sunday + (spring ? 8 : 9) * HOUR;
    const moment = sunday - DAY + (spring ? 9 : 8) * HOUR;
    expect(Math.abs(dueAt - moment)).toBe(spring ? 23 * HOUR : 25 * HOUR);
    clock.set(moment - 2 * DAY);
    const task = await create("activity", { subject: "Renewal call", type: "call", dueAt: new Date(dueAt).toISOString() });

    // Exactly 24 hours before would be an hour early (spring) or late (autumn): only the local day counts.
    expect(await tick(moment - 30 * 60_000)).toBe(0);
    expect(await tick(moment + 10_000)).toBe(1);
    const [first] = await finished("activity", task.id, "day-before-in-berlin");
    expect(first!.trigger).toMatchObject({ type: "dateRelative", at: new Date(moment).toISOString() });
    expect((await get("activity", task.id)).notes).toBe("due tomorrow;");

    // The due date moves a day later: a new moment, a new run when it comes; the same date again starts nothing.
    const moved = await server.request("PATCH", `/api/records/activity/${task.id}`, { dueAt: new Date(dueAt + DAY).toISOString() });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // Its new moment is 10:00 on the Sunday itself.
    expect(await tick(dueAt - 30 * 60_000)).toBe(0);
    expect(await tick(dueAt + 10_000)).toBe(1);
    await finished("activity", task.id, "day-before-in-berlin", 2);
    // Moved to a moment already past (within the week): the write itself starts the run.
    await server.request("PATCH", `/api/records/activity/${task.id}`, { dueAt: new Date(dueAt + 2 * HOUR).toISOString() });
    const runs = await finished("activity", task.id, "day-before-in-berlin", 3);
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(await tick(dueAt + HOUR)).toBe(0);
    expect((await get("activity", task.id)).notes).toBe("due tomorrow;due tomorrow;due tomorrow;");
  });
});
