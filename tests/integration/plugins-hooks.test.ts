import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { login } from "./support/login.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";

const hooked = (hooks: Record<string, string[]>) => Object.fromEntries(Object.entries(hooks).map(([name, entities]) => [name, { entities }]));

async function install(server: TestServer, id: string, code: string, extra: Record<string, unknown>) {
  const manifest = { id, version: "1.0.0", engine: "^0.1.0", capabilities: { records: { read: ["account"], write: ["account"] } }, ...extra };
  const res = await server.request("POST", "/api/admin/plugins", { manifest, code });
  if (res.status !== 201) throw new Error(`install ${id}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Poll until `check` returns something truthy (after-hooks run in the background). */
async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(databaseTargets)("plugin hooks on $name", (target) => {
  const server = useTestServer(target);
  const count = async (entity: string) => Number((await server.sql<{ n: number }>(`select count(*)::int as n from data."${entity}"`))[0]!.n);
  const historyRows = async () => Number((await server.sql<{ n: number }>(`select count(*)::int as n from record_history`))[0]!.n);

  it("a before-hook that rejects: 422 naming the plugin with field issues, nothing written, no history", async () => {
    await install(server, "reject-lead", `globalThis.plugin = { hooks: { beforeCreate: async (input) => input.record.company === "Spam" ? { reject: { message: "no spam", fields: { company: "Spam is not a company." } } } : null } };`, {
      capabilities: { records: { read: ["lead"] } },
      hooks: hooked({ beforeCreate: ["lead"] }),
    });
    const [leads, history] = [await count("lead"), await historyRows()];
    const refused = await server.request("POST", "/api/records/lead", { lastName: "X", company: "Spam", status: "new" });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: "PLUGIN_REJECTED", pluginId: "reject-lead", issues: [{ pointer: "/company", message: "Spam is not a company." }] });
    expect(refused.body.detail).toContain("reject-lead");
    expect([await count("lead"), await historyRows()]).toEqual([leads, history]);
    expect((await server.request("POST", "/api/records/lead", { lastName: "X", company: "Fine", status: "new" })).status).toBe(201);
    const batch = await server.request("POST", "/api/records/lead", [{ lastName: "A", company: "Fine", status: "new" }, { lastName: "B", company: "Spam", status: "new" }]);
    expect(batch.status).toBe(422);
    expect(batch.body.issues[0].pointer).toBe("/1/company");
  });

  it("a before-hook's changes are checked by the validator like the caller's own", async () => {
    await install(server, "bad-status", `globalThis.plugin = { hooks: { beforeUpdate: async () => ({ changes: { status: "no-such-status" } }) } };`, { hooks: hooked({ beforeUpdate: ["account"] }) });
    const created = await server.request("POST", "/api/records/account", { name: "Valid", status: "active" });
    const updated = await server.request("PATCH", `/api/records/account/${created.body.id}`, { name: "Still valid" });
    expect(updated.status).toBe(422);
    expect(updated.body.issues.map((i: { pointer: string }) => i.pointer)).toContain("/status");
    expect((await server.request("GET", `/api/records/account/${created.body.id}`)).body.name).toBe("Valid");
    await server.request("DELETE", "/api/admin/plugins/bad-status");
  });

  it("before-hooks on update and delete; a hook's own writes roll back with the write it refused", async () => {
    const code = `globalThis.plugin = { hooks: {
      beforeUpdate: async (input) => ({ changes: { description: "was " + input.previous.subject + ", now " + input.record.priority } }),
      beforeDelete: async (input, crm) => {
        await crm.records.create("account", { name: "tombstone of " + input.record.subject, status: "dormant" });
        return input.record.subject === "Keep" ? { reject: "Keep stays." } : null;
      },
    } };`;
    await install(server, "upd-del", code, { capabilities: { records: { read: ["serviceCase"], write: ["account", "serviceCase"] } }, hooks: hooked({ beforeUpdate: ["serviceCase"], beforeDelete: ["serviceCase"] }) });
    const keep = (await server.request("POST", "/api/records/serviceCase", { subject: "Keep", priority: "low", status: "new" })).body;
    expect(keep.id).toBeDefined();
    const updated = await server.request("PATCH", `/api/records/serviceCase/${keep.id}`, { description: "ignored", priority: "medium" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ description: "was Keep, now medium", priority: "medium" });
    const accounts = await count("account");
    const refused = await server.request("DELETE", `/api/records/serviceCase/${keep.id}`);
    expect([refused.status, refused.body.code, refused.body.pluginId]).toEqual([422, "PLUGIN_REJECTED", "upd-del"]);
    expect(await count("account")).toBe(accounts);
    expect((await server.request("GET", `/api/records/serviceCase/${keep.id}`)).status).toBe(200);
    await server.request("DELETE", "/api/admin/plugins/upd-del");
  });

  it("a before-hook that throws: 422 naming the plugin; repeated failures disable it with a persisted reason", async () => {
    await install(server, "thrower", `globalThis.plugin = { hooks: { beforeCreate: async () => { throw new Error("boom"); } } };`, { capabilities: {}, hooks: hooked({ beforeCreate: ["campaign"] }) });
    const before = await count("campaign");
    const failed = await server.request("POST", "/api/records/campaign", { name: "C" });
    expect(failed.status).toBe(422);
    expect(failed.body).toMatchObject({ code: "PLUGIN_FAILED", pluginId: "thrower" });
    expect(failed.body.detail).toContain("boom");
    expect(await count("campaign")).toBe(before);
    for (let i = 0; i < 4; i++) await server.request("POST", "/api/records/campaign", { name: "C" });
    const plugin = await eventually(async () => {
      const res = await server.request("GET", "/api/admin/plugins/thrower");
      return res.body.enabled === false && res.body;
    });
    expect(plugin.disabledReason).toContain("5 failures in a row");
    const invocations = await server.request("GET", "/api/admin/plugins/thrower/invocations?limit=10");
    expect(invocations.body.items.length).toBeGreaterThanOrEqual(5);
    expect(invocations.body.items[0]).toMatchObject({ outcome: "error", error: { message: expect.stringContaining("boom") } });
  });

  it("a before-hook over its CPU budget: a problem naming the plugin and the budget, nothing written", async () => {
    await install(server, "spinner", `globalThis.plugin = { hooks: { beforeCreate: async () => { for (;;) {} } } };`, { capabilities: {}, budgets: { cpuMs: 30 }, hooks: hooked({ beforeCreate: ["product"] }) });
    const before = await count("product");
    const res = await server.request("POST", "/api/records/product", { name: "P", code: "P-1" });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "PLUGIN_UNAVAILABLE", pluginId: "spinner", outcome: "timeout", limit: "cpu" });
    expect(await count("product")).toBe(before);
    expect((await server.request("GET", "/api/health")).status).toBe(200);
    await server.request("DELETE", "/api/admin/plugins/spinner");
  });

  it("after-hooks run after commit; a failing one never affects the response", async () => {
    await install(server, "after-writer", `globalThis.plugin = { hooks: { afterCreate: async (input, crm) => { await crm.records.update("account", input.id, { description: "seen by after-writer" }); } } };`, { hooks: hooked({ afterCreate: ["account"] }) });
    await install(server, "after-fails", `globalThis.plugin = { hooks: { afterCreate: async () => { throw new Error("after boom"); } } };`, { capabilities: {}, hooks: hooked({ afterCreate: ["account"] }) });
    const created = await server.request("POST", "/api/records/account", { name: "Later", status: "active" });
    expect(created.status).toBe(201);
    expect(created.body.description).toBeNull();
    await eventually(async () => (await server.request("GET", `/api/records/account/${created.body.id}`)).body.description === "seen by after-writer");
    const history = await server.sql<{ actor_kind: string; actor_id: string }>(`select actor_kind, actor_id from record_history where record_id = $1 order by id`, [created.body.id]);
    expect(history.map((h) => h.actor_kind)).toEqual(["token", "plugin"]);
    expect(history[1]!.actor_id).toBe("after-writer");
    const failures = await eventually(async () => {
      const items = (await server.request("GET", "/api/admin/plugins/after-fails/invocations")).body.items as Array<{ outcome: string; recordIds: string[] }>;
      return items.some((i) => i.recordIds.includes(created.body.id)) && items;
    });
    expect(failures[0]!.outcome).toBe("error");
    await server.request("DELETE", "/api/admin/plugins/after-writer");
    await server.request("DELETE", "/api/admin/plugins/after-fails");
  });

  it("a failed after-hook is retried until it succeeds", async () => {
    await install(server, "flaky", `let attempts = 0; globalThis.plugin = { hooks: { afterCreate: async (input, crm) => {
      attempts += 1;
      if (attempts === 1) throw new Error("first attempt fails");
      await crm.records.update("account", input.id, { description: "after " + attempts + " attempts" });
    } } };`, { hooks: hooked({ afterCreate: ["account"] }) });
    const created = await server.request("POST", "/api/records/account", { name: "Flaky", status: "active" });
    expect(created.status).toBe(201);
    await eventually(async () => (await server.request("GET", `/api/records/account/${created.body.id}`)).body.description === "after 2 attempts");
    const outcomes = ((await server.request("GET", "/api/admin/plugins/flaky/invocations")).body.items as Array<{ outcome: string }>).map((i) => i.outcome);
    expect(outcomes).toEqual(["ok", "error"]);
    expect(await server.sql(`select * from plugin_outbox where plugin_id = 'flaky'`)).toEqual([]);
    await server.request("DELETE", "/api/admin/plugins/flaky");
  });

  it("refuses entities outside the manifest and sees only what the acting user can see; fetch to loopback is refused", async () => {
    const code = `globalThis.plugin = { hooks: { beforeCreate: async (input, crm) => {
      const attempt = async (fn) => { try { return String((await fn()).length); } catch (e) { return e.code + ": " + e.message; } };
      const leads = await attempt(() => crm.records.find("lead", {}));
      const accounts = await attempt(() => crm.records.find("account", { limit: 50 }));
      const fetched = await attempt(() => crm.http.fetch("http://127.0.0.1/x", {}));
      const outside = await attempt(() => crm.http.fetch("https://example.org/", {}));
      return { changes: { description: JSON.stringify({ leads, accounts, fetched, outside }) } };
    } } };`;
    await install(server, "nosy", code, { capabilities: { records: { read: ["account"], write: ["account"] }, http: { fetch: ["http://127.0.0.1/"] } }, hooks: hooked({ beforeCreate: ["account"] }) });

    const roles = (await server.request("GET", "/api/admin/roles")).body.items as Array<{ id: string; key: string }>;
    const rep = roles.find((r) => r.key === "sales_rep")!.id;
    const user = await server.request("POST", "/api/admin/users", { email: "lonely@example.test", name: "Lonely", password: "a-long-password-for-plugins", roleIds: [rep], departmentId: null });
    expect(user.status).toBe(201);
    const session = await login(server, "lonely@example.test", "a-long-password-for-plugins");

    const asAdmin = JSON.parse((await server.request("POST", "/api/records/account", { name: "By admin", status: "active" })).body.description);
    const asRep = JSON.parse((await server.request("POST", "/api/records/account", { name: "By rep", status: "active" }, session.headers)).body.description);
    expect(asAdmin.leads).toMatch(/^CAPABILITY_REQUIRED: .*nosy.*capabilities\.records\.read/);
    expect(Number(asAdmin.accounts)).toBeGreaterThan(0);
    expect(asRep.accounts).toBe("0");
    expect(asAdmin.fetched).toMatch(/^URL_BLOCKED/);
    expect(asAdmin.outside).toMatch(/^URL_NOT_ALLOWED/);
    await server.request("DELETE", "/api/admin/plugins/nosy");
  });

  it("record actions on one record and on a selection, applied as the caller acting as the plugin", async () => {
    const code = `globalThis.plugin = { actions: {
      grade: async (input) => ({ message: "graded " + input.records.length, changes: Object.fromEntries(input.records.map((r) => [r.id, { rating: "hot" }])) }),
      one: async (input) => ({ message: "looked at " + input.records[0].name }),
      bad: async (input) => ({ changes: Object.fromEntries(input.records.map((r) => [r.id, { rating: r.name === "A2" ? "nonsense" : "cold" }])) }),
    } };`;
    await install(server, "grader", code, {
      actions: [
        { name: "grade", label: { en: "Grade" }, entity: "account", selection: "many" },
        { name: "one", label: { en: "One" }, entity: "account", selection: "one" },
        { name: "bad", label: { en: "Bad" }, entity: "account", selection: "many" },
      ],
    });
    const a = (await server.request("POST", "/api/records/account", { name: "A1", status: "active" })).body.id;
    const b = (await server.request("POST", "/api/records/account", { name: "A2", status: "active" })).body.id;
    // A record page lists the single-record actions of enabled plugins.
    const offered = await server.request("GET", `/api/records/account/${a}/actions`);
    expect(offered.status).toBe(200);
    expect(offered.body.items.filter((i: { pluginId: string }) => i.pluginId === "grader")).toEqual([{ pluginId: "grader", name: "one", label: { en: "One" } }]);
    const many = await server.request("POST", "/api/records/account/actions/grader/grade", { ids: [a, b] });
    expect(many.status).toBe(200);
    expect(many.body.message).toBe("graded 2");
    expect(many.body.updated.map((r: { rating: string }) => r.rating)).toEqual(["hot", "hot"]);
    const history = await server.sql<{ actor_kind: string }>(`select actor_kind from record_history where record_id = $1 order by id desc limit 1`, [a]);
    expect(history[0]!.actor_kind).toBe("plugin");
    expect((await server.request("POST", `/api/records/account/${a}/actions/grader/grade`)).status).toBe(404);
    expect((await server.request("POST", `/api/records/account/${a}/actions/grader/one`)).body).toEqual({ message: "looked at A1", updated: [] });
    expect((await server.request("POST", "/api/records/account/actions/grader/one", { ids: [a] })).status).toBe(404);
    const bad = await server.request("POST", "/api/records/account/actions/grader/bad", { ids: [a, b] });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/1/rating"]);
    expect((await server.request("GET", `/api/records/account/${a}`)).body.rating).toBe("hot");
    expect((await server.request("POST", "/api/records/account/actions/grader/grade", { ids: ["00000000-0000-4000-8000-00000000dead"] })).status).toBe(404);
    await server.request("POST", "/api/admin/plugins/grader/disable");
    expect((await server.request("GET", `/api/records/account/${a}/actions`)).body.items.some((i: { pluginId: string }) => i.pluginId === "grader")).toBe(false);
    await server.request("DELETE", "/api/admin/plugins/grader");
  });

  it("an action's changes count against its rows-written budget; an action over its CPU limit is a problem naming the limit", async () => {
    const code = `globalThis.plugin = { actions: {
      grade: async (input) => ({ changes: Object.fromEntries(input.records.map((r) => [r.id, { rating: "warm" }])) }),
      spin: async () => { for (;;) {} },
    } };`;
    await install(server, "stingy", code, {
      budgets: { rowsWritten: 1, cpuMs: 30 },
      actions: [
        { name: "grade", label: { en: "Grade" }, entity: "account", selection: "many" },
        { name: "spin", label: { en: "Spin" }, entity: "account", selection: "one" },
      ],
    });
    const a = (await server.request("POST", "/api/records/account", { name: "S1", status: "active" })).body.id;
    const b = (await server.request("POST", "/api/records/account", { name: "S2", status: "active" })).body.id;
    const over = await server.request("POST", "/api/records/account/actions/stingy/grade", { ids: [a, b] });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: "PLUGIN_FAILED", pluginId: "stingy", outcome: "budget_exceeded", budget: "rowsWritten" });
    expect(over.body.detail).toContain("rowsWritten");
    for (const id of [a, b]) expect((await server.request("GET", `/api/records/account/${id}`)).body.rating).not.toBe("warm");
    const within = await server.request("POST", "/api/records/account/actions/stingy/grade", { ids: [a] });
    expect([within.status, within.body.updated[0].rating]).toEqual([200, "warm"]);
    const spun = await server.request("POST", `/api/records/account/${a}/actions/stingy/spin`);
    expect(spun.status).toBe(503);
    expect(spun.body).toMatchObject({ code: "PLUGIN_UNAVAILABLE", pluginId: "stingy", outcome: "timeout", limit: "cpu" });
    await server.request("DELETE", "/api/admin/plugins/stingy");
  });

  it("a plugin host crash during a before-hook: a problem naming the plugin, and the API keeps serving", async () => {
    await install(server, "victim", `globalThis.plugin = { hooks: { beforeCreate: async (input) => { if (input.record.name === "slow") for (;;) {} return { changes: { description: "ok" } }; } } };`, {
      capabilities: {},
      budgets: { cpuMs: 8000 },
      hooks: hooked({ beforeCreate: ["account"] }),
    });
    const pending = server.request("POST", "/api/records/account", { name: "slow", status: "active" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pid = server.runtime.plugins.host.pid!;
    process.kill(pid, "SIGKILL");
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "PLUGIN_UNAVAILABLE", pluginId: "victim", outcome: "crashed" });
    expect((await server.request("GET", "/api/health")).status).toBe(200);
    const after = await eventually(async () => {
      const r = await server.request("POST", "/api/records/account", { name: "fast", status: "active" });
      return r.status === 201 && r;
    });
    expect(after.body.description).toBe("ok");
    expect(server.runtime.plugins.host.pid).not.toBe(pid);
  });
});
