import { describe, expect, it } from "vitest";
import { postgresOnly } from "./support/databases.ts";
import { exited, startRuntimeProcess } from "./support/start-process.ts";
import { useTestServer } from "./support/test-server.ts";
import { waitFor } from "./support/webhook-receiver.ts";

// Two runtime processes on one PostgreSQL share the workflow job queue (pg-boss); one is killed
// mid-work and the other finishes its runs: every step still executes exactly once.

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_JOB_POLL_MS: "500", WORKFLOW_HEARTBEAT_SECONDS: "10", WORKFLOW_CONCURRENCY: "4" };
const RUNS = 40;

describe.runIf(postgresOnly.run).each(postgresOnly.targets)("workflows across two runtime processes on one $name database", (target) => {
  const server = useTestServer(target, { env: FAST });

  it("share the runs, survive a killed process, and execute each step once", { timeout: 180_000 }, async () => {
    const created = await server.request("POST", "/api/admin/workflows", {
      id: "welcome",
      name: "Welcome task for new accounts",
      enabled: true,
      entity: "account",
      trigger: { type: "recordCreated" },
      steps: [
        { id: "task", type: "createRecord", entity: "activity", values: { subject: '"Welcome " & name', type: '"task"', account: "id" } },
        { id: "mark", type: "updateRecord", values: { description: '"welcomed"' } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const child = await startRuntimeProcess({ DATABASE_URL: server.databaseUrl!, LOG_LEVEL: "debug", ...FAST });
    const stepsInChild = () => (child.output().match(/workflow step executed/g) ?? []).length;
    try {
      const headers = { "content-type": "application/json", authorization: `Bearer ${server.admin.token}` };
      const ids = await Promise.all(
        Array.from({ length: RUNS }, async (_, i) => {
          // Half the writes go through each process: each captures its own triggers.
          const res = i % 2 === 0 ? await server.request("POST", "/api/records/account", { name: `Shared ${i}` }) : await fetch(`${child.url}/api/records/account`, { method: "POST", headers, body: JSON.stringify({ name: `Shared ${i}` }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string } }));
          expect(res.status).toBe(201);
          return res.body.id as string;
        }),
      );
      await waitFor(() => stepsInChild() >= 3, 60_000, "the second process to execute steps");
      const exit = exited(child.child);
      child.child.kill("SIGKILL");
      await exit;
      const doneAtKill = (await server.sql<{ n: number }>(`select count(*)::int as n from workflow_runs where workflow_id = 'welcome' and status = 'succeeded'`))[0]!.n;
      expect(doneAtKill).toBeLessThan(RUNS);
      const counted = () => server.sql<{ n: number }>(`select count(*)::int as n from workflow_runs where workflow_id = 'welcome' and status = 'succeeded'`).then((rows) => rows[0]!.n);
      await waitFor(async () => (await counted()) === RUNS, 120_000, `${RUNS} succeeded runs`);

      // The jobs the killed process held went back to the queue (its heartbeat stopped) and were finished by the other.
      const resumed = await server.sql<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'workflow-run' and state = 'completed' and retry_count > 0`);
      expect(resumed[0]!.n).toBeGreaterThan(0);
      const steps = await server.sql<{ step_id: string; status: string; n: number }>(
        `select e.step_id, e.status, count(*)::int as n from workflow_step_executions e join workflow_runs r on r.id = e.run_id where r.workflow_id = 'welcome' group by e.step_id, e.status order by e.step_id`,
      );
      expect(steps).toEqual([
        { step_id: "mark", status: "succeeded", n: RUNS },
        { step_id: "task", status: "succeeded", n: RUNS },
      ]);
      const perRun = await server.sql<{ n: number }>(`select count(*)::int as n from workflow_step_executions e join workflow_runs r on r.id = e.run_id where r.workflow_id = 'welcome' group by e.run_id, e.step_id having count(*) > 1`);
      expect(perRun).toEqual([]);
      const tasks = await server.sql<{ account: string; n: number }>(`select account::text as account, count(*)::int as n from data.activity where subject like 'Welcome Shared %' group by account`);
      expect(tasks).toHaveLength(RUNS);
      expect(tasks.every((t) => t.n === 1 && ids.includes(t.account))).toBe(true);
      const welcomed = await server.sql<{ n: number }>(`select count(*)::int as n from data.account where description = 'welcomed' and id = any($1::uuid[])`, [`{${ids.join(",")}}`]);
      expect(welcomed[0]!.n).toBe(RUNS);
      expect(stepsInChild()).toBeGreaterThan(0);
      expect(stepsInChild()).toBeLessThan(2 * RUNS);
    } finally {
      if (child.child.exitCode === null) child.child.kill("SIGKILL");
    }
  });
});
