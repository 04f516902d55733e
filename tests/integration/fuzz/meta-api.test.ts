import fc from "fast-check";
import { describe, it } from "vitest";
import type { EntityDefinition } from "@crm/core";
import { databaseTargets } from "../support/databases.ts";
import { useTestServer } from "../support/test-server.ts";
import { fuzzParameters } from "./support/budget.ts";
import { confirmList, conversions, mutatedDefinition, mutationsOf } from "./support/definition-arbitraries.ts";
import { encodeBody, envelope, type Envelope } from "./support/envelopes.ts";
import { expectNoFindings } from "./support/findings.ts";
import type { RawRequest } from "./support/fuzz-client.ts";
import { anyJson, anyJsonOrHeavy } from "./support/json-values.ts";
import { createProbe } from "./support/probe.ts";
import { loadDefinitions } from "./support/seed-records.ts";
import { encode } from "./support/url-text.ts";

/** `baseVersion`: the live version (resolved when sent), a stale or absurd one, or junk. */
type Version = { current: true } | { given: unknown };

type MetaPlan =
  | { kind: "read"; path: string }
  | { kind: "change"; method: "POST" | "PUT"; key: string; route: "preview" | "entity"; body: Record<string, unknown>; version?: Version; envelope: Envelope }
  | { kind: "create"; body: unknown; envelope: Envelope }
  | { kind: "remove"; path: string };

const HOSTILE_KEYS = ["nope", "__proto__", "constructor", "%zz", "客户", "a".repeat(300), "entity_definitions", "%2e%2e"];

function metaPlan(definitions: EntityDefinition[]): fc.Arbitrary<MetaPlan> {
  const keys = definitions.map((d) => d.key);
  const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS) });
  const routeKey = key.map((k) => (k.includes("%") ? k : encode(k)));
  const junkParam = fc.constantFrom("", "1", "0", "-1", "1.5", "abc", "99999999999999999999", "%zz", "1e3", " 1", "2");
  const id = fc.constantFrom("nope", "00000000-0000-0000-0000-000000000000", "account-name", "%zz", "__proto__", ...definitions.slice(0, 3).map((d) => d.id));
  const version = (required: boolean): fc.Arbitrary<Version | undefined> =>
    fc.oneof(
      { weight: required ? 1 : 4, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constant({ current: true as const }) },
      { weight: 2, arbitrary: fc.constantFrom(1, 2, 99, 2 ** 31).map((given) => ({ given })) },
      { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, "1", null).map((given) => ({ given })) },
    );
  // Mostly a mutation of the definition whose key the route names, so checks get past "the id changed".
  const keyed = fc.constantFrom(...definitions).chain((d) =>
    fc.tuple(
      fc.oneof({ weight: 10, arbitrary: fc.constant(d.key) }, { weight: 1, arbitrary: key }),
      fc.oneof({ weight: 10, arbitrary: mutationsOf(d) }, { weight: 1, arbitrary: anyJson(2) }),
    ),
  );
  const extra = fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom("bogus", "__proto__", "definitions", ""), anyJson(1)) });
  const change = (method: "POST" | "PUT", route: "preview" | "entity") =>
    fc.record({ keyed, confirm: confirmList(), conversions: conversions(definitions), extra, version: version(method === "PUT"), envelope: envelope() }).map(({ keyed: [key, definition], confirm, conversions, extra, version, envelope }): MetaPlan => {
      const body: Record<string, unknown> = { definition };
      if (confirm !== undefined) body.confirm = confirm;
      if (conversions !== undefined) body.conversions = conversions;
      if (extra) Object.defineProperty(body, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      return version === undefined ? { kind: "change", method, key, route, body, envelope } : { kind: "change", method, key, route, body, version, envelope };
    });
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constant("/api/meta/entities"),
        fc.constant("/api/meta/trash"),
        fc.tuple(routeKey, fc.option(junkParam, { nil: undefined })).map(([k, v]) => `/api/meta/entities/${k}${v === undefined ? "" : `?version=${v}`}`),
        routeKey.map((k) => `/api/meta/entities/${k}/versions`),
        routeKey.map((k) => `/api/meta/entities/${k}/trash`),
      ).map((path): MetaPlan => ({ kind: "read", path })),
    },
    { weight: 6, arbitrary: change("POST", "preview") },
    { weight: 3, arbitrary: change("PUT", "entity") },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("create" as const),
        body: fc.oneof(
          mutatedDefinition(definitions).map((definition) => ({ definition })),
          fc.array(fc.oneof(mutatedDefinition(definitions), anyJson(1)), { maxLength: 3 }).map((defs) => ({ definitions: defs })),
          fc.constantFrom({ definitions: "x" }, { definitions: [] }, { definition: null }, {}),
          anyJsonOrHeavy(),
        ),
        envelope: envelope(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        // Never the live version: a generated request must not drop a whole entity.
        fc.tuple(routeKey, junkParam).map(([k, v]) => `/api/meta/entities/${k}?baseVersion=${Number.isSafeInteger(Number(v)) && Number(v) >= 1 && Number(v) < 50 ? "99" : v}`),
        fc.tuple(routeKey, id, fc.option(junkParam, { nil: undefined })).map(([k, f, v]) => `/api/meta/entities/${k}/trash/${f}/restore${v === undefined ? "" : `?baseVersion=${v}`}`),
        fc.tuple(routeKey, id, fc.constantFrom("", "?confirm=x", "?confirm=a&confirm=b")).map(([k, f, q]) => `/api/meta/entities/${k}/trash/${f}${q}`),
        fc.tuple(id, fc.constantFrom("", "?confirm=x", "?confirm=")).map(([e, q]) => `/api/meta/trash/${e}${q}`),
        id.map((e) => `/api/meta/trash/${e}/restore`),
      ).map((path): MetaPlan => ({ kind: "remove", path })),
    },
  );
}

function materialize(plan: MetaPlan, versions: Map<string, number>): RawRequest {
  switch (plan.kind) {
    case "read":
      return { method: "GET", path: plan.path };
    case "remove":
      return { method: plan.path.split("?")[0]!.endsWith("/restore") ? "POST" : "DELETE", path: plan.path };
    case "create": {
      const { headers, body } = encodeBody(plan.body, plan.envelope);
      return { method: "POST", path: "/api/meta/entities", headers, body };
    }
    case "change": {
      const baseVersion = plan.version === undefined ? undefined : "current" in plan.version ? (versions.get(plan.key) ?? 1) : plan.version.given;
      const payload = baseVersion === undefined ? plan.body : { ...plan.body, baseVersion };
      const { headers, body } = encodeBody(payload, plan.envelope);
      const key = plan.key.includes("%") ? plan.key : encode(plan.key);
      return { method: plan.method, path: `/api/meta/entities/${key}${plan.route === "preview" ? "/preview" : ""}`, headers, body };
    }
  }
}

describe.each(databaseTargets)("fuzz: meta API on $name", (target) => {
  // A server of its own: the few generated changes that are valid do apply, and must not disturb the record suites.
  const server = useTestServer(target);

  it("answers every generated definition change, preview and trash request without a 5xx", async () => {
    const probe = createProbe(() => server);
    const definitions = [...(await loadDefinitions(probe)).values()];
    const versions = new Map<string, number>();
    const refresh = async () => {
      const response = await probe.send({ method: "GET", path: "/api/meta/entities" }, "list");
      for (const item of (JSON.parse(response.text) as { items: Array<{ key: string; version: number }> }).items) versions.set(item.key, item.version);
    };
    await refresh();
    await fc.assert(
      fc.asyncProperty(metaPlan(definitions), async (plan) => {
        const request = materialize(plan, versions);
        const response = await probe.send(request, request.path === "/api/meta/entities" && request.method === "GET" ? "list" : "json");
        if (response.status < 300 && request.method !== "GET") await refresh();
      }),
      fuzzParameters("meta", target.name),
    );
    expectNoFindings(probe, `meta on ${target.name}`);
  }, 300_000);
});
