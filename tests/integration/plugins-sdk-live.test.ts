import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";
import { execFile } from "node:child_process";

const PLUGINS = join(import.meta.dirname, "../../plugins");
const CLI = join(PLUGINS, "sdk/src/cli/crm-plugin.ts");

/** The four shipped plugins installed with crm-plugin into a live server, acting on real writes. */
describe.each(databaseTargets)("shipped plugins through the live server on $name", (target) => {
  const server = useTestServer(target, { seed: true });
  // The CLI as a user runs it: its own process, output lines on success, the message on failure.
  const cli = (...argv: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      execFile(process.execPath, [CLI, ...argv, "--url", server.url, "--token", server.admin.token], { cwd: PLUGINS }, (error, stdout, stderr) => {
        if (error) reject(new Error(stderr.trim()));
        else resolve(stdout.trim().split("\n"));
      });
    });
  const get = async (entity: string, id: string) => (await server.request("GET", `/api/records/${entity}/${id}`)).body;

  it("crm-plugin installs, refuses a second install, upgrades, rolls back and uninstalls", async () => {
    expect(await cli("install", "--dir", "lead-scoring")).toEqual(["installed lead-scoring@1.0.0"]);
    await expect(cli("install", "--dir", "lead-scoring")).rejects.toThrow("lead-scoring is installed already (1.0.0); use crm-plugin upgrade.");
    const copy = await mkdtemp(join(tmpdir(), "lead-scoring-"));
    await cp(join(PLUGINS, "lead-scoring"), copy, { recursive: true, filter: (path) => !path.includes("node_modules") });
    const manifest = JSON.parse(await readFile(join(copy, "plugin.json"), "utf8"));
    await writeFile(join(copy, "plugin.json"), JSON.stringify({ ...manifest, version: "1.1.0" }));
    expect(await cli("upgrade", "--dir", copy)).toEqual(["upgraded lead-scoring@1.1.0"]);
    await expect(cli("upgrade", "--dir", copy)).rejects.toThrow(/409 PLUGIN_VERSION_CONFLICT[\s\S]*\/manifest\/version/);
    expect(await cli("rollback", "--id", "lead-scoring")).toEqual(["rolled lead-scoring back to 1.0.0"]);
    expect(await cli("uninstall", "--id", "lead-scoring")).toEqual(["uninstalled lead-scoring"]);
    await expect(cli("upgrade", "--dir", "lead-scoring")).rejects.toThrow("lead-scoring is not installed; use crm-plugin install.");
    await rm(copy, { recursive: true, force: true });
  });

  it("lead scoring scores on create and update and after an activity", async () => {
    await cli("install", "--dir", "lead-scoring");
    const lead = await server.request("POST", "/api/records/lead", { lastName: "Hopper", company: "Navy", status: "new", source: "event", employees: 1200 });
    expect(lead.body).toMatchObject({ score: 50, rating: "warm" });
    expect((await server.request("PATCH", `/api/records/lead/${lead.body.id}`, { employees: 10 })).body).toMatchObject({ score: 25, rating: "cold" });
    await server.request("POST", "/api/records/activity", { subject: "Call", type: "call", lead: lead.body.id });
    await expect.poll(async () => (await get("lead", lead.body.id)).score, { timeout: 10_000 }).toBe(35);
    await cli("uninstall", "--id", "lead-scoring");
  });

  it("duplicate guard refuses a duplicate account with field issues", async () => {
    await cli("install", "--dir", "duplicate-guard");
    const first = await server.request("POST", "/api/records/account", { name: "ACME Corporation", status: "active", phone: "+1 555 123 4567" });
    expect(first.status).toBe(201);
    const second = await server.request("POST", "/api/records/account", { name: "Acme, Inc.", status: "active", phone: "555-123-4567" });
    expect(second.status).toBe(422);
    expect(second.body).toMatchObject({ code: "PLUGIN_REJECTED", pluginId: "duplicate-guard" });
    expect(second.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/name", "/phone"]);
    expect((await server.request("POST", "/api/records/account", { name: "Acme Rockets", status: "active" })).status).toBe(201);
    await cli("uninstall", "--id", "duplicate-guard");
  });

  it("ABC grading and churn risk run their schedules and the activity hook", async () => {
    await cli("install", "--dir", "abc-grading");
    await cli("install", "--dir", "churn-risk");
    const meta = (await server.request("GET", "/api/meta/entities/account")).body;
    const definition = { ...meta.definition, fields: [...meta.definition.fields, { id: "account-churn-risk", key: "churnRisk", type: "boolean", label: { en: "Churn risk" } }] };
    expect((await server.request("PUT", "/api/meta/entities/account", { definition, baseVersion: meta.version })).status).toBe(200);
    const account = (await server.request("POST", "/api/records/account", { name: "Quiet Customer", status: "active" })).body;
    await server.sql(`update data."account" set "createdAt" = now() - interval '400 days' where id = $1`, [account.id]);
    await server.request("POST", "/api/records/opportunity", { name: "Deal", account: account.id, stage: "closed_won", amount: { amount: 30000, currency: "EUR" }, closedAt: new Date().toISOString() });

    expect((await server.request("POST", "/api/admin/plugins/churn-risk/schedules/flagInactive/run")).body).toMatchObject({ outcome: "ok", usage: { rowsWritten: 1 } });
    expect((await server.request("POST", "/api/admin/plugins/abc-grading/schedules/gradeAll/run")).body).toMatchObject({ outcome: "ok", usage: { rowsWritten: 1 } });
    expect(await get("account", account.id)).toMatchObject({ churnRisk: true, grade: "b" });

    await server.request("POST", "/api/records/activity", { subject: "Check-in", type: "call", account: account.id });
    await expect.poll(async () => (await get("account", account.id)).churnRisk, { timeout: 10_000 }).toBe(false);
    const action = await server.request("POST", "/api/records/account/actions/abc-grading/grade", { ids: [account.id] });
    expect(action.body).toMatchObject({ message: "0 of 1 grade(s) changed." });
  });
});
