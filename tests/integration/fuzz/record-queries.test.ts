import fc from "fast-check";
import { describe, it } from "vitest";
import type { EntityDefinition } from "@crm/core";
import { databaseTargets } from "../support/databases.ts";
import { useTestServer } from "../support/test-server.ts";
import { fuzzParameters } from "./support/budget.ts";
import type { Definitions } from "./support/entity-paths.ts";
import { expectNoFindings } from "./support/findings.ts";
import { createProbe } from "./support/probe.ts";
import { aggregateQuery, cursorValue, listQuery, renderQuery, type CursorChoice, type QueryPart } from "./support/query-arbitraries.ts";
import type { IdPool } from "./support/record-arbitraries.ts";
import { loadDefinitions, seedRecords } from "./support/seed-records.ts";

type QueryPlan =
  | { kind: "list"; entity: string; parts: QueryPart[]; cursor?: CursorChoice }
  | { kind: "aggregate"; entity: string; parts: QueryPart[] }
  /** The next page of an earlier answered list query (by index), its cursor maybe altered. */
  | { kind: "nextPage"; page: number; alter?: { cut: number } | { suffix: string } };

/** An answered list query with a next page: its path without the cursor, and the cursor. */
interface Page {
  path: string;
  cursor: string;
}

const MAX_PAGES = 64;

function queryPlan(entity: EntityDefinition, definitions: Definitions, pool: IdPool): fc.Arbitrary<QueryPlan> {
  const route = fc.oneof({ weight: 40, arbitrary: fc.constant(entity.key) }, { weight: 1, arbitrary: fc.constantFrom("nope", "__proto__", "constructor", entity.key.toUpperCase()) });
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(route, listQuery(entity, definitions, pool)).map(([key, q]): QueryPlan => ({ kind: "list", entity: key, ...q })) },
    { weight: 2, arbitrary: fc.tuple(route, aggregateQuery(entity, definitions, pool)).map(([key, parts]): QueryPlan => ({ kind: "aggregate", entity: key, parts })) },
  );
}

function nextPagePlan(): fc.Arbitrary<QueryPlan> {
  return fc.record(
    { kind: fc.constant("nextPage" as const), page: fc.nat(), alter: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.record({ cut: fc.nat({ max: 300 }) }) }, { weight: 1, arbitrary: fc.record({ suffix: fc.constantFrom("A", "_", "-", "AAAA", "%3D") }) }) },
    { requiredKeys: ["kind", "page"] },
  );
}

/** The request path of a plan; `base` is the path without its cursor (for following pages). */
function pathOf(plan: QueryPlan, pages: Page[]): { path: string; base?: string } {
  if (plan.kind === "nextPage") {
    const page = pages[plan.page % Math.max(pages.length, 1)];
    if (!page) return { path: "/api/records/account?limit=1" };
    const cursor = !plan.alter ? page.cursor : "cut" in plan.alter ? page.cursor.slice(0, plan.alter.cut % page.cursor.length) : page.cursor + plan.alter.suffix;
    return { path: `${page.path}${page.path.includes("?") ? "&" : "?"}cursor=${cursor}`, base: page.path };
  }
  const base = `/api/records/${encodeURIComponent(plan.entity)}${plan.kind === "aggregate" ? "/aggregate" : ""}${renderQuery(plan.parts)}`;
  if (plan.kind !== "list" || !plan.cursor) return { path: base, base };
  const cursors = pages.map((p) => p.cursor);
  return { path: `/api/records/${encodeURIComponent(plan.entity)}${renderQuery([...plan.parts, { name: "cursor", value: cursorValue(plan.cursor, cursors) }])}` };
}

describe.each(databaseTargets)("fuzz: record queries on $name", (target) => {
  const server = useTestServer(target);

  it("answers every generated list and aggregate query without a 5xx, with problem documents for errors", async () => {
    const probe = createProbe(() => server);
    const definitions = await loadDefinitions(probe);
    const pool = await seedRecords(probe, definitions);
    const pages: Page[] = [];
    let pageSlot = 0;
    const plans = fc.oneof({ weight: 6, arbitrary: fc.oneof(...[...definitions.values()].map((entity) => queryPlan(entity, definitions, pool))) }, { weight: 1, arbitrary: nextPagePlan() });
    await fc.assert(
      fc.asyncProperty(plans, async (plan) => {
        const { path, base } = pathOf(plan, pages);
        const response = await probe.send({ method: "GET", path }, plan.kind === "aggregate" ? "groups" : "list");
        if (plan.kind !== "aggregate" && base && response.status === 200) {
          const next = (JSON.parse(response.text) as { nextCursor?: unknown }).nextCursor;
          // Keep walking: the newest pages replace the oldest once the pool is full.
          if (typeof next === "string") pages[pages.length < MAX_PAGES ? pages.length : pageSlot++ % MAX_PAGES] = { path: base, cursor: next };
        }
      }),
      fuzzParameters("queries", target.name),
    );
    expectNoFindings(probe, `queries on ${target.name}`);
  }, 300_000);
});
