import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "../support/databases.ts";
import { useTestServer } from "../support/test-server.ts";
import { Mismatch, sameAnswer, type Side } from "./support/access-compare.ts";
import { planArbitrary, type Plan } from "./support/access-queries.ts";
import { buildWorldData, visiblePartsEqual } from "./support/access-records.ts";
import { setUpWorld } from "./support/access-setup.ts";
import { FUZZ_SEED, TOTAL_CASES } from "./support/budget.ts";
import { renderQuery } from "./support/query-arbitraries.ts";

/**
 * Differential property: two databases that differ only in what the probe user cannot see (hidden
 * fields of its records, records out of its scope, an entity it may not read) must answer its list,
 * filter, sort, search, aggregate, expand and get requests with the same status and body. Any
 * difference is a leak: the answer reveals something the caller is not allowed to read.
 *
 * Cases: 40% of FUZZ_CASES (2,000 by default) on each pair of databases, PGlite and PostgreSQL.
 */
const SHARE = 0.4;

/** `FUZZ_KEEP_GOING=1` collects every distinct difference instead of stopping (and shrinking) at the first. */
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === "1";

function pathOf(plan: Plan): string {
  const base = `/api/records/${plan.entity}`;
  if (plan.kind === "get") return `${base}/${plan.id}${renderQuery(plan.parts)}`;
  return `${base}${plan.kind === "aggregate" ? "/aggregate" : ""}${renderQuery(plan.parts)}`;
}

describe.each(databaseTargets)("fuzz: access differential on $name", (target) => {
  const data = buildWorldData(FUZZ_SEED);
  const env = { WEBHOOK_POLL_MS: "600000" };
  const serverA = useTestServer(target, { seed: false, env });
  const serverB = useTestServer(target, { seed: false, env });
  let a: Side;
  let b: Side;

  beforeAll(async () => {
    a = { url: serverA.url, headers: await setUpWorld(serverA, data.a) };
    b = { url: serverB.url, headers: await setUpWorld(serverB, data.b) };
  });

  it("holds databases that agree on what the probe sees and differ in what it does not", async () => {
    expect(visiblePartsEqual(data)).toBe(true);
    const admin = (server: typeof serverA): Side => ({ url: server.url, headers: { authorization: `Bearer ${server.admin.token}` } });
    // The comparison catches a difference when there is one: the admin sees the hidden rows and fields.
    await expect(sameAnswer("/api/records/deal?count=true&limit=1&fields=title", admin(serverA), admin(serverB))).rejects.toThrow(/answer differently/);
    await expect(sameAnswer("/api/records/deal?limit=200&fields=secret", admin(serverA), admin(serverB))).rejects.toThrow(/answer differently/);
    const seen = await sameAnswer("/api/records/deal?count=true&limit=200", a, b);
    expect(seen.status).toBe(200);
    expect((seen.body as { total: number }).total).toBe(40);
    expect(Object.keys((seen.body as { items: object[] }).items[0]!)).not.toContain("secret");
  });

  it("answers the probe the same from both databases", async () => {
    const numRuns = Math.ceil(TOTAL_CASES * SHARE);
    console.log(`[fuzz] access differential on ${target.name}: ${numRuns} cases, seed ${FUZZ_SEED} (replay with FUZZ_SEED=${FUZZ_SEED})`);
    const outcomes = new Map<string, number>();
    const found = new Map<string, { count: number; message: string }>();
    const compare = async (path: string) => {
      try {
        return await sameAnswer(path, a, b);
      } catch (error) {
        if (!KEEP_GOING || !(error instanceof Mismatch)) throw error;
        const seen = found.get(error.signature);
        if (seen) seen.count++;
        else found.set(error.signature, { count: 1, message: error.message });
        return { status: 0, body: {} };
      }
    };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(planArbitrary(data), async (plan) => {
        const path = pathOf(plan);
        const answer = await compare(path);
        const body = answer.body as { items?: unknown[]; nextCursor?: unknown; groups?: unknown[] };
        const size = body.items?.length ?? body.groups?.length;
        const outcome = `${plan.kind} ${answer.status}${size === undefined ? "" : size === 0 ? " empty" : " rows"}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (plan.kind === "list" && typeof body.nextCursor === "string") {
          await compare(`${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(body.nextCursor)}`);
          outcomes.set("next page", (outcomes.get("next page") ?? 0) + 1);
        }
      }),
      { numRuns, seed: FUZZ_SEED },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = [...outcomes].sort(([x], [y]) => x.localeCompare(y)).map(([o, n]) => `${o}: ${n}`).join(", ");
    console.log(`[fuzz] access differential on ${target.name}: ${numRuns} cases in ${seconds} s (${summary})`);
    for (const [signature, { count, message }] of found) console.log(`[fuzz] ${count}× ${signature}\n${message}`);
    expect([...found.keys()]).toEqual([]);
  }, 600_000);
});
