import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { createPluginScheduler } from "@crm/runtime";
import { useTestServer } from "./support/test-server.ts";

/** A manifest for the tests, with `extra` merged in. */
export function manifest(id: string, version: string, extra: Record<string, unknown> = {}) {
  return { id, version, engine: "^0.1.0", capabilities: { records: { read: ["account"], write: ["account"] } }, ...extra };
}

/** A bundle whose beforeCreate hook stamps `description` with the version. */
const stamping = (version: string) => `globalThis.plugin = { hooks: { beforeCreate: async (input) => ({ changes: { description: "v${version}" } }) } };`;

describe.each(databaseTargets)("plugin management on $name", (target) => {
  const server = useTestServer(target);
  const hook = { hooks: { beforeCreate: { entities: ["account"] } } };

  it("installs, upgrades, refuses older versions, rolls back and uninstalls, with no restart", async () => {
    const installed = await server.request("POST", "/api/admin/plugins", { manifest: manifest("stamp", "1.0.0", hook), code: stamping("1.0.0") });
    expect(installed.status).toBe(201);
    expect(installed.body).toMatchObject({ id: "stamp", version: "1.0.0", activeVersion: "1.0.0", enabled: true, disabledReason: null, settings: {} });

    const create = async () => (await server.request("POST", "/api/records/account", { name: "Acme", status: "active" })).body.description;
    expect(await create()).toBe("v1.0.0");

    expect((await server.request("POST", "/api/admin/plugins", { manifest: manifest("stamp", "1.0.0", hook), code: stamping("1.0.0") })).status).toBe(409);
    expect((await server.request("POST", "/api/admin/plugins", { manifest: manifest("stamp", "0.9.0", hook), code: stamping("0.9.0") })).status).toBe(409);

    const upgraded = await server.request("POST", "/api/admin/plugins", { manifest: manifest("stamp", "1.1.0", hook), code: stamping("1.1.0") });
    expect(upgraded.status).toBe(201);
    expect(upgraded.body.versions.map((v: { version: string }) => v.version)).toEqual(["1.0.0", "1.1.0"]);
    expect(await create()).toBe("v1.1.0");

    const rolledBack = await server.request("POST", "/api/admin/plugins/stamp/rollback");
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.activeVersion).toBe("1.0.0");
    expect(await create()).toBe("v1.0.0");
    expect((await server.request("POST", "/api/admin/plugins/stamp/rollback")).status).toBe(409);

    const listed = await server.request("GET", "/api/admin/plugins");
    expect(listed.body.items.map((p: { id: string }) => p.id)).toContain("stamp");

    expect((await server.request("DELETE", "/api/admin/plugins/stamp")).status).toBe(204);
    expect((await server.request("GET", "/api/admin/plugins/stamp")).status).toBe(404);
    expect(await create()).toBeNull();
  });

  it("refuses an invalid manifest, an unknown entity and a bundle that does not load, changing nothing", async () => {
    const unknown = await server.request("POST", "/api/admin/plugins", { manifest: manifest("bad", "1.0.0", { hooks: { beforeCreate: { entities: ["nope"] } } }), code: stamping("1") });
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues.map((i: { pointer: string }) => i.pointer)).toContain("/manifest/hooks/beforeCreate/entities/0");
    const broken = await server.request("POST", "/api/admin/plugins", { manifest: manifest("bad", "1.0.0", hook), code: "this is not javascript (" });
    expect(broken.status).toBe(422);
    expect(broken.body.code).toBe("PLUGIN_LOAD_FAILED");
    expect((await server.request("GET", "/api/admin/plugins/bad")).status).toBe(404);
    expect(await server.sql(`select * from plugin_versions where plugin_id = 'bad'`)).toEqual([]);
  });

  it("disables with a reason, enables, validates settings and records invocations", async () => {
    const settingsSchema = { type: "object", properties: { prefix: { type: "string", maxLength: 5 } }, required: ["prefix"], additionalProperties: false };
    const code = `globalThis.plugin = { hooks: { beforeCreate: async (input, crm) => { const s = await crm.settings(); await crm.log.info("stamping", { prefix: s.prefix ?? null }); return { changes: { description: (s.prefix ?? "") + input.record.name } }; } } };`;
    expect((await server.request("POST", "/api/admin/plugins", { manifest: manifest("conf", "1.0.0", { ...hook, settings: settingsSchema }), code })).status).toBe(201);

    const bad = await server.request("PUT", "/api/admin/plugins/conf/settings", { prefix: "far too long", other: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["", "/prefix"]);
    const good = await server.request("PUT", "/api/admin/plugins/conf/settings", { prefix: "X-" });
    expect(good.status).toBe(200);
    expect(good.body.settings).toEqual({ prefix: "X-" });
    const created = await server.request("POST", "/api/records/account", { name: "Beta", status: "active" });
    expect(created.body.description).toBe("X-Beta");

    const badBody = await server.request("POST", "/api/admin/plugins/conf/disable", "{ reason", { "content-type": "application/json", authorization: `Bearer ${server.admin.token}` });
    expect([badBody.status, badBody.body.code]).toEqual([400, "INVALID_JSON"]);
    const disabled = await server.request("POST", "/api/admin/plugins/conf/disable", { reason: "testing" });
    expect(disabled.body).toMatchObject({ enabled: false, disabledReason: "testing" });
    expect((await server.request("POST", "/api/records/account", { name: "Gamma", status: "active" })).body.description).toBeNull();
    const enabled = await server.request("POST", "/api/admin/plugins/conf/enable");
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
    expect((await server.request("POST", "/api/records/account", { name: "Delta", status: "active" })).body.description).toBe("X-Delta");

    const invocations = await server.request("GET", "/api/admin/plugins/conf/invocations?limit=1");
    expect(invocations.status).toBe(200);
    expect(invocations.body.items).toHaveLength(1);
    expect(invocations.body.items[0]).toMatchObject({ kind: "hook", name: "beforeCreate", entity: "account", outcome: "ok", userId: server.admin.userId, logs: [{ level: "info", message: "stamping", data: { prefix: "X-" } }] });
    expect(invocations.body.items[0].usage.hostCalls).toBe(2);
  });

  it("an upgrade checks the settings against the new version's schema: the stored ones, or those sent with it", async () => {
    const v1 = { type: "object", properties: { prefix: { type: "string" } }, additionalProperties: false };
    const v2 = { type: "object", properties: { prefix: { type: "string", maxLength: 1 }, suffix: { type: "string" } }, required: ["suffix"], additionalProperties: false };
    const code = (v: string) => `globalThis.plugin = { hooks: { beforeCreate: async (input, crm) => { const s = await crm.settings(); return { changes: { description: "${v}:" + (s.prefix ?? "") + input.record.name + (s.suffix ?? "") } }; } } };`;
    const upload = (version: string, schema: object, extra: object = {}) => server.request("POST", "/api/admin/plugins", { manifest: manifest("resettle", version, { ...hook, settings: schema }), code: code(version), ...extra });
    const create = async () => (await server.request("POST", "/api/records/account", { name: "Acme", status: "active" })).body.description;

    expect((await upload("1.0.0", v1, { settings: { prefix: 7 } })).body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/settings/prefix"]);
    expect((await server.request("GET", "/api/admin/plugins/resettle")).status).toBe(404);
    expect((await upload("1.0.0", v1, { settings: { prefix: "X-" } })).body.settings).toEqual({ prefix: "X-" });
    expect(await create()).toBe("1.0.0:X-Acme");

    const refused = await upload("2.0.0", v2);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("PLUGIN_SETTINGS_INVALID");
    expect(refused.body.detail).toContain("stored settings");
    expect(refused.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/settings/prefix", "/settings/suffix"]);
    const unchanged = (await server.request("GET", "/api/admin/plugins/resettle")).body;
    expect([unchanged.activeVersion, unchanged.versions.length, unchanged.settings]).toEqual(["1.0.0", 1, { prefix: "X-" }]);
    expect(await create()).toBe("1.0.0:X-Acme");

    expect((await upload("2.0.0", v2, { settings: { prefix: "XX", suffix: "!" } })).body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/settings/prefix"]);
    const upgraded = await upload("2.0.0", v2, { settings: { prefix: "Y", suffix: "!" } });
    expect(upgraded.status).toBe(201);
    expect([upgraded.body.activeVersion, upgraded.body.settings]).toEqual(["2.0.0", { prefix: "Y", suffix: "!" }]);
    expect(await create()).toBe("2.0.0:YAcme!");

    // Back to 1.0.0, whose schema refuses the stored suffix: 422 and nothing changes, until settings that fit are sent.
    const refusedBack = await server.request("POST", "/api/admin/plugins/resettle/rollback");
    expect(refusedBack.status).toBe(422);
    expect(refusedBack.body.code).toBe("PLUGIN_SETTINGS_INVALID");
    expect(refusedBack.body.detail).toContain("stored settings");
    expect(refusedBack.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/settings"]);
    expect((await server.request("GET", "/api/admin/plugins/resettle")).body).toMatchObject({ activeVersion: "2.0.0", settings: { prefix: "Y", suffix: "!" } });
    expect(await create()).toBe("2.0.0:YAcme!");
    expect((await server.request("POST", "/api/admin/plugins/resettle/rollback", { settings: { prefix: 1 } })).body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/settings/prefix"]);
    expect((await server.request("POST", "/api/admin/plugins/resettle/rollback", { settings: [] })).status).toBe(400);
    expect((await server.request("POST", "/api/admin/plugins/resettle/rollback", "{", { "content-type": "application/json", authorization: `Bearer ${server.admin.token}` })).status).toBe(400);
    const back = await server.request("POST", "/api/admin/plugins/resettle/rollback", { settings: { prefix: "Z-" } });
    expect(back.status).toBe(200);
    expect([back.body.activeVersion, back.body.settings]).toEqual(["1.0.0", { prefix: "Z-" }]);
    expect(await create()).toBe("1.0.0:Z-Acme");
    await server.request("DELETE", "/api/admin/plugins/resettle");
  });

  it("runs a scheduled job on demand, as the calling administrator", async () => {
    const code = `globalThis.plugin = { schedules: { nightly: async (input, crm) => {
      let tooMany = "";
      try { await crm.records.find("account", { sort: "nope" }); } catch (e) { tooMany = e.code + " " + e.message; }
      const accounts = await crm.records.find("account", { limit: 100, sort: "name", fields: ["name", "status"], filter: ["status:eq:active", "name:ne:nobody"] });
      if (accounts.some((a) => a.status !== "active" || "rating" in a)) throw new Error("fields or filter were not applied");
      for (const a of accounts.filter((x) => x.name === "Sched")) await crm.records.update("account", a.id, { rating: "warm" });
      return { seen: accounts.length, schedule: input.schedule, tooMany };
    } } };`;
    expect((await server.request("POST", "/api/admin/plugins", { manifest: manifest("sched", "1.0.0", { schedules: [{ name: "nightly", cron: "0 3 * * *" }] }), code })).status).toBe(201);
    const account = await server.request("POST", "/api/records/account", { name: "Sched", status: "active" });
    const ran = await server.request("POST", "/api/admin/plugins/sched/schedules/nightly/run");
    expect(ran.status).toBe(200);
    expect(ran.body.error).toBeUndefined();
    expect(ran.body).toMatchObject({ outcome: "ok", value: { schedule: "nightly" } });
    expect(ran.body.value.seen).toBeGreaterThan(0);
    expect(ran.body.value.tooMany).toMatch(/^INVALID_QUERY .*\/sort: /);
    expect((await server.request("GET", `/api/records/account/${account.body.id}`)).body.rating).toBe("warm");
    expect((await server.request("POST", "/api/admin/plugins/sched/schedules/weekly/run")).status).toBe(404);
    const [invocation] = (await server.request("GET", "/api/admin/plugins/sched/invocations?limit=1")).body.items;
    expect(invocation).toMatchObject({ kind: "schedule", name: "nightly", outcome: "ok" });    // Its cron must not fire in the other tests' injected clocks.
    await server.request("DELETE", "/api/admin/plugins/sched");
  });

  it("records.find pages at most 200 records and continues with nextCursor, whatever limit the plugin asks", async () => {
    const code = `globalThis.plugin = { schedules: { sweep: async (input, crm) => {
      const sizes = []; const seen = new Set();
      let page = await crm.records.find("account", { filter: "name:startsWith:Paged ", sort: "-name", limit: 500 });
      for (;;) {
        sizes.push(page.length); for (const r of page) seen.add(r.id);
        if (!page.nextCursor) break;
        page = await crm.records.find("account", { filter: "name:startsWith:Paged ", sort: "-name", cursor: page.nextCursor });
      }
      let bad = ""; try { await crm.records.find("account", { cursor: "nonsense" }); } catch (e) { bad = e.code; }
      return { sizes, distinct: seen.size, bad };
    } } };`;
    expect((await server.request("POST", "/api/admin/plugins", { manifest: manifest("pager", "1.0.0", { schedules: [{ name: "sweep", cron: "0 3 * * *" }] }), code })).status).toBe(201);
    const accounts = Array.from({ length: 450 }, (_, i) => ({ name: `Paged ${String(i).padStart(3, "0")}`, status: "active" }));
    expect((await server.request("POST", "/api/records/account", accounts)).status).toBe(201);
    const ran = await server.request("POST", "/api/admin/plugins/pager/schedules/sweep/run");
    expect(ran.body).toMatchObject({ outcome: "ok", value: { sizes: [200, 200, 50], distinct: 450, bad: "INVALID_QUERY" }, usage: { rowsRead: 450 } });    await server.request("DELETE", "/api/admin/plugins/pager");
  });

  it("runs scheduled jobs when their cron fires, once per minute, as the installing administrator", async () => {
    const code = `globalThis.plugin = { schedules: { early: async (input, crm) => {
      const [account] = await crm.records.find("account", { filter: "name:eq:Cron target" });
      await crm.records.update("account", account.id, { description: "ran at " + input.scheduledAt });
    } } };`;
    const cronManifest = manifest("cron", "1.0.0", { schedules: [{ name: "early", cron: "30 4 * * *", timezone: "Europe/Oslo" }] });
    expect((await server.request("POST", "/api/admin/plugins", { manifest: cronManifest, code })).status).toBe(201);
    const account = await server.request("POST", "/api/records/account", { name: "Cron target", status: "active" });
    const { scheduler } = server.runtime.plugins;
    expect(await scheduler.tick(new Date("2026-01-01T04:30:10Z"))).toBe(0);
    expect(await scheduler.tick(new Date("2026-01-01T03:30:10Z"))).toBe(1);
    expect(await scheduler.tick(new Date("2026-01-01T03:30:50Z"))).toBe(0);
    const [ran] = (await server.request("GET", "/api/admin/plugins/cron/invocations?limit=1")).body.items;
    expect(ran.error).toBeNull();
    expect(ran).toMatchObject({ kind: "schedule", name: "early", outcome: "ok", userId: server.admin.userId });
    const read = await server.request("GET", `/api/records/account/${account.body.id}`);
    expect(read.body.description).toBe("ran at 2026-01-01T03:30:00.000Z");
    const [entry] = await server.sql<{ actor_kind: string; actor_user_id: string }>(`select actor_kind, actor_user_id::text as actor_user_id from record_history where record_id = $1 order by id desc limit 1`, [account.body.id]);
    expect(entry).toEqual({ actor_kind: "plugin", actor_user_id: server.admin.userId });
    await server.request("POST", "/api/admin/plugins/cron/disable", {});
    expect(await scheduler.tick(new Date("2026-01-02T03:30:10Z"))).toBe(0);
  });

  it("after downtime a missed schedule runs once, for the latest minute it was due, across restarts and processes", async () => {
    const code = `globalThis.plugin = { schedules: { hourly: async (input, crm) => { await crm.records.create("account", { name: "Catch-up " + input.scheduledAt, status: "active" }); } } };`;
    expect((await server.request("POST", "/api/admin/plugins", { manifest: manifest("catchup", "1.0.0", { schedules: [{ name: "hourly", cron: "0 * * * *" }] }), code })).status).toBe(201);
    const ran = async () => (await server.sql<{ name: string }>(`select name from data.account where name like 'Catch-up %' order by name`)).map((r) => r.name.slice("Catch-up ".length));
    const hour = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000;
    const at = (ms: number) => new Date(hour + ms);
    const { scheduler } = server.runtime.plugins;
    expect(await scheduler.tick(at(10_000))).toBe(1);
    // A restart (a new scheduler on the same database) three hours and twenty minutes later: one run, for the third hour.
    const { db, logger, access } = server.runtime;
    const restarted = createPluginScheduler({ db, logger, access, plugins: () => server.runtime.plugins.plugins });
    expect(await restarted.tick(at(3 * 3_600_000 + 20 * 60_000))).toBe(1);
    expect(await restarted.tick(at(3 * 3_600_000 + 20 * 60_000 + 30_000))).toBe(0);
    // The process that stayed up finds the same missed minute already run.
    expect(await scheduler.tick(at(3 * 3_600_000 + 25 * 60_000))).toBe(0);
    expect(await ran()).toEqual([at(0).toISOString(), at(3 * 3_600_000).toISOString()]);
    // Back on time: the next hour runs in its own minute.
    expect(await scheduler.tick(at(4 * 3_600_000 + 5_000))).toBe(1);
    expect((await ran()).at(-1)).toBe(at(4 * 3_600_000).toISOString());
    await server.request("DELETE", "/api/admin/plugins/catchup");
  });

  it("is for administrators only", async () => {
    expect((await server.request("GET", "/api/admin/plugins", undefined, { authorization: "" })).status).toBe(401);
  });
});
