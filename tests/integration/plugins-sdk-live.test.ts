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
    // A version whose settings schema the stored settings do not fit: refused, then upgraded with --settings.
    const strict = { ...manifest.settings, required: ["hotScore"] };
    await writeFile(join(copy, "plugin.json"), JSON.stringify({ ...manifest, version: "1.2.0", settings: strict }));
    await expect(cli("upgrade", "--dir", copy)).rejects.toThrow(/422 PLUGIN_SETTINGS_INVALID[\s\S]*\/settings\/hotScore/);
    await writeFile(join(copy, "settings.json"), JSON.stringify({ hotScore: 70 }));
    expect(await cli("upgrade", "--dir", copy, "--settings", join(copy, "settings.json"))).toEqual(["upgraded lead-scoring@1.2.0"]);
    expect((await server.request("GET", "/api/admin/plugins/lead-scoring")).body.settings).toEqual({ hotScore: 70 });
    await writeFile(join(copy, "earlier.json"), JSON.stringify({ hotScore: 65 }));
    expect(await cli("rollback", "--id", "lead-scoring", "--settings", join(copy, "earlier.json"))).toEqual(["rolled lead-scoring back to 1.1.0"]);
    expect((await server.request("GET", "/api/admin/plugins/lead-scoring")).body.settings).toEqual({ hotScore: 65 });
    expect(await cli("rollback", "--id", "lead-scoring")).toEqual(["rolled lead-scoring back to 1.0.0"]);
    expect(await cli("uninstall", "--id", "lead-scoring")).toEqual(["uninstalled lead-scoring"]);
    await expect(cli("upgrade", "--dir", "lead-scoring")).rejects.toThrow("lead-scoring is not installed; use crm-plugin install.");
    await rm(copy, { recursive: true, force: true });
  }, 180_000); // about a dozen CLI processes, each building with esbuild

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

  it("duplicate guard in link mode saves a duplicate contact, linked to the one it duplicates and given its account", async () => {
    await cli("install", "--dir", "duplicate-guard");
    const meta = (await server.request("GET", "/api/meta/entities/contact")).body;
    const duplicateOf = { id: "contact-duplicate-of", key: "duplicateOf", type: "relation", label: { en: "Duplicate of" }, relation: "manyToOne", target: "contact", onDelete: "setNull" };
    const changed = await server.request("PUT", "/api/meta/entities/contact", { definition: { ...meta.definition, fields: [...meta.definition.fields, duplicateOf] }, baseVersion: meta.version });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await server.request("PUT", "/api/admin/plugins/duplicate-guard/settings", { mode: "link", linkField: "duplicateOf" })).status).toBe(200);
    const account = (await server.request("POST", "/api/records/account", { name: "Analytical Engines", status: "active" })).body;
    const first = await server.request("POST", "/api/records/contact", { firstName: "Ada", lastName: "Lovelace", email: "ada@engines.example", account: account.id });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await server.request("POST", "/api/records/contact", { firstName: "A.", lastName: "Lovelace", email: "ADA@Engines.example" });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ duplicateOf: first.body.id, account: account.id });
    const [invocation] = (await server.request("GET", "/api/admin/plugins/duplicate-guard/invocations?limit=1")).body.items;
    expect(invocation).toMatchObject({ outcome: "ok", logs: [{ level: "info", data: { duplicate: first.body.id } }] });
    const unrelated = await server.request("POST", "/api/records/contact", { firstName: "Charles", lastName: "Babbage", email: "charles@engines.example" });
    expect(unrelated.body).toMatchObject({ duplicateOf: null, account: null });
    await cli("uninstall", "--id", "duplicate-guard");
  });

  it("ABC grading and churn risk run their schedules and the activity hook", async () => {
    await cli("install", "--dir", "abc-grading");
    await cli("install", "--dir", "churn-risk");
    // The shipped account has the churnRisk field the plugin writes (false until flagged).
    const account = (await server.request("POST", "/api/records/account", { name: "Quiet Customer", status: "active" })).body;
    expect(account.churnRisk).toBe(false);
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
