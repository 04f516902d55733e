import { describe, expect, it } from "vitest";
import { createLogger, createRuntime, loadConfig } from "@crm/runtime";
import { postgresOnly } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";

// Several runtime processes share one PostgreSQL database: a plugin installed through one runs in all.

describe.runIf(postgresOnly.run).each(postgresOnly.targets)("plugins across two runtimes on one $name database", (target) => {
  const server = useTestServer(target);

  it("an install, an upgrade and a disable made through one are served by the other without a restart", async () => {
    const other = await createRuntime(loadConfig({ DATABASE_URL: server.databaseUrl!, LOG_LEVEL: "silent" }), { logger: createLogger("silent"), seed: false });
    const createThroughOther = async () => {
      const res = await other.app.request("/api/records/account", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${server.admin.token}` }, body: JSON.stringify({ name: "n", status: "active" }) });
      return ((await res.json()) as { description: string | null }).description;
    };
    const until = async (expected: string | null) => {
      const deadline = Date.now() + 10_000;
      let seen = await createThroughOther();
      while (seen !== expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await createThroughOther();
      }
      return seen;
    };
    const install = (version: string) =>
      server.request("POST", "/api/admin/plugins", {
        manifest: { id: "shared-stamp", version, engine: "^0.1.0", capabilities: {}, hooks: { beforeCreate: { entities: ["account"] } } },
        code: `globalThis.plugin = { hooks: { beforeCreate: async () => ({ changes: { description: "v${version}" } }) } };`,
      });
    try {
      expect(await createThroughOther()).toBeNull();
      expect((await install("1.0.0")).status).toBe(201);
      expect(await until("v1.0.0")).toBe("v1.0.0");
      expect((await install("2.0.0")).status).toBe(201);
      expect(await until("v2.0.0")).toBe("v2.0.0");
      expect((await server.request("POST", "/api/admin/plugins/shared-stamp/disable", {})).status).toBe(200);
      expect(await until(null)).toBeNull();
    } finally {
      await other.close();
    }
  });
});
