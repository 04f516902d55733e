import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "@crm/core";
import { createLogger, createRuntime, loadConfig } from "@crm/runtime";
import { postgresOnly } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

// Several runtime processes share one PostgreSQL database; PGlite belongs to a single process.


describe.runIf(postgresOnly.run).each(postgresOnly.targets)("two runtimes on one $name database", (target) => {
  const server = useTestServer(target, { seed: false });

  it("a schema change made through one is served by the other without a restart", async () => {
    const other = await createRuntime(loadConfig({ DATABASE_URL: server.databaseUrl!, LOG_LEVEL: "silent" }), { logger: createLogger("silent"), seed: false });
    try {
      const created = await server.request("POST", "/api/meta/entities", { definition: entity("shared", [{ key: "name", type: "text" }]) });
      expect(created.status).toBe(201);
      const definition = created.body.entity.definition as EntityDefinition;
      const changed = await server.request("PUT", "/api/meta/entities/shared", {
        definition: { ...definition, fields: [...definition.fields, { id: "t-shared-city", key: "city", type: "text", label: { en: "City" } }] },
        baseVersion: 1,
      });
      expect(changed.status).toBe(200);
      const deadline = Date.now() + 5000;
      while (other.registry.find("shared")?.version !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(other.registry.find("shared")?.version).toBe(2);
      const res = await other.app.request("/api/records/shared", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${server.admin.token}` }, body: JSON.stringify({ name: "n", city: "Oslo" }) });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ city: "Oslo" });
    } finally {
      await other.close();
    }
  });
});
