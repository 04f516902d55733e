import fc from "fast-check";
import { describe, it } from "vitest";
import { databaseTargets } from "../support/databases.ts";
import { useTestServer } from "../support/test-server.ts";
import { fuzzParameters } from "./support/budget.ts";
import { expectNoFindings } from "./support/findings.ts";
import { createProbe } from "./support/probe.ts";
import { loadDefinitions, seedRecords } from "./support/seed-records.ts";
import { materialize, writePlan, type WritePlan } from "./support/write-requests.ts";
import type { IdPool } from "./support/record-arbitraries.ts";

/** Keep the live id pool in step with what the server created and deleted. */
function track(plan: WritePlan, status: number, text: string, live: IdPool, sentIds: string[]) {
  const ids = live.get(plan.entity);
  if (!ids) return;
  if (plan.kind === "create" && status === 201) {
    const body = JSON.parse(text) as { id?: string; items?: Array<{ id: string }> };
    ids.push(...(body.items ? body.items.map((r) => r.id) : body.id ? [body.id] : []));
  }
  if ((plan.kind === "remove" && status === 204) || (plan.kind === "removeMany" && status === 200)) {
    const gone = new Set(sentIds.map((id) => id.toLowerCase()));
    live.set(plan.entity, ids.filter((id) => !gone.has(id)));
  }
}

describe.each(databaseTargets)("fuzz: record writes on $name", (target) => {
  const server = useTestServer(target);

  it("answers every generated write, read by id and delete without a 5xx, with problem documents for errors", async () => {
    const probe = createProbe(() => server);
    const definitions = await loadDefinitions(probe);
    const seeded = await seedRecords(probe, definitions);
    const live: IdPool = new Map([...seeded].map(([key, ids]) => [key, [...ids]]));
    const plans = fc.oneof(...[...definitions.values()].map((entity) => writePlan(entity, seeded)));
    await fc.assert(
      fc.asyncProperty(plans, async (plan) => {
        const { request, expect } = materialize(plan, live);
        const response = await probe.send(request, expect);
        const sentIds = request.path.split("/").slice(4, 5).concat(typeof request.body === "string" && plan.kind === "removeMany" ? idsIn(request.body) : []);
        track(plan, response.status, response.text, live, sentIds);
      }),
      fuzzParameters("writes", target.name),
    );
    expectNoFindings(probe, `writes on ${target.name}`);
  }, 300_000);
});

function idsIn(body: string): string[] {
  try {
    const ids = (JSON.parse(body) as { ids?: unknown }).ids;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}
