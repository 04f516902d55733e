import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";

const DAY_MS = 86_400_000;
const noop = { name: "noop", label: { en: "No-op" }, entity: "account", selection: "one" };
const manifest = (id: string, version: string) => ({ id, version, engine: "^0.1.0", capabilities: {}, actions: [noop] });
const code = (version: string) => `globalThis.plugin = { actions: { noop: async () => ({ message: "v${version}" }) } };`;

describe.each(databaseTargets)("plugin table retention on $name", (target) => {
  const server = useTestServer(target, { env: { PLUGIN_INVOCATION_RETENTION_DAYS: "7", PLUGIN_INVOCATIONS_PER_PLUGIN: "10", PLUGIN_VERSIONS_KEPT: "2" } });
  const install = async (id: string, version: string) => expect((await server.request("POST", "/api/admin/plugins", { manifest: manifest(id, version), code: code(version) })).status).toBe(201);
  const invocationIds = async (plugin: string) => (await server.sql<{ n: string }>(`select id::text as n from plugin_invocations where plugin_id = $1 order by id`, [plugin])).map((r) => r.n);

  it("keeps invocations by age and count per plugin, and the newest versions besides the active one", async () => {
    for (const version of ["1.0.0", "1.1.0", "1.2.0", "1.3.0"]) await install("keep", version);
    for (let i = 0; i < 2; i++) expect((await server.request("POST", "/api/admin/plugins/keep/rollback")).status).toBe(200);
    await install("other", "1.0.0");
    const account = (await server.request("POST", "/api/records/account", { name: "Kept", status: "active" })).body.id;
    for (let i = 0; i < 15; i++) expect((await server.request("POST", `/api/records/account/${account}/actions/keep/noop`)).body.message).toBe("v1.1.0");
    for (let i = 0; i < 3; i++) expect((await server.request("POST", `/api/records/account/${account}/actions/other/noop`)).status).toBe(200);
    await server.runtime.plugins.plugins.idle();
    const kept = await invocationIds("keep");
    expect(kept).toHaveLength(15);
    // The three oldest of "keep" are past the 7 days; then its count is cut to the newest 10.
    await server.sql(`update plugin_invocations set at = now() - interval '8 days' where id = any($1::bigint[])`, [kept.slice(0, 3)]);

    expect(await server.runtime.plugins.prune(new Date())).toEqual({ invocations: 5, versions: 1 });
    expect(await invocationIds("keep")).toEqual(kept.slice(5));
    expect(await invocationIds("other")).toHaveLength(3);
    const plugin = (await server.request("GET", "/api/admin/plugins/keep")).body;
    expect(plugin.activeVersion).toBe("1.1.0");
    expect(plugin.versions.map((v: { version: string }) => v.version).sort()).toEqual(["1.1.0", "1.2.0", "1.3.0"]);
    expect((await server.request("GET", "/api/admin/plugins/keep/invocations?limit=500")).body.items).toHaveLength(10);

    expect(await server.runtime.plugins.prune(new Date())).toEqual({ invocations: 0, versions: 0 });
    expect(await server.runtime.plugins.prune(new Date(Date.now() + 8 * DAY_MS))).toEqual({ invocations: 13, versions: 0 });
    expect(await server.sql(`select id from plugin_invocations where plugin_id in ('keep', 'other')`)).toEqual([]);
  });
});
