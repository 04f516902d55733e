import fc from "fast-check";
import { describe, it } from "vitest";
import { databaseTargets } from "../support/databases.ts";
import { useTestServer } from "../support/test-server.ts";
import { fuzzParameters } from "./support/budget.ts";
import type { Expect } from "./support/check-response.ts";
import { encodeBody, envelope, type Envelope } from "./support/envelopes.ts";
import { expectNoFindings } from "./support/findings.ts";
import type { RawRequest } from "./support/fuzz-client.ts";
import { anyJsonOrHeavy, anyString } from "./support/json-values.ts";
import { createProbe } from "./support/probe.ts";
import { encode } from "./support/url-text.ts";

const ENTITIES = ["account", "contact", "lead", "opportunity", "activity", "campaign", "campaignMember", "serviceCase", "product"];
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "PURGE", "LINK", "MKCOL"];
const SEGMENTS = ["", "%", "%zz", "%C0%AF", "%FF", "%00", "%2F", "%2e%2e", "..", ".", "aggregate", "00000000-0000-0000-0000-000000000000", "%E2%82%AC", "a;b", "a,b", "__proto__", "x".repeat(3_000), "%25", "+", "~"];

/** Path templates of every router, plus neighbours that no route serves. */
function path(): fc.Arbitrary<string> {
  const entity = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ENTITIES) }, { weight: 1, arbitrary: fc.constantFrom(...SEGMENTS) });
  const segment = fc.oneof(fc.constantFrom(...SEGMENTS), fc.uuid(), anyString(12).map(encode));
  return fc.oneof(
    entity.map((e) => `/api/records/${e}`),
    fc.tuple(entity, segment).map(([e, s]) => `/api/records/${e}/${s}`),
    fc.tuple(entity, segment, segment).map(([e, a, b]) => `/api/records/${e}/${a}/${b}`),
    entity.map((e) => `/api/records/${e}/aggregate`),
    fc.constantFrom("/api/records", "/api/records/", "//api//records//account", "/API/records/account", "/api/records/%61ccount", "/api/records/account/", "/api/records/account%2F00000000-0000-0000-0000-000000000000"),
    fc.tuple(entity, segment).map(([e, s]) => `/api/meta/entities/${e}/${s}`),
    fc.constantFrom("/api/meta/entities", "/api/meta/trash", "/api/meta", "/api/health", "/api/openapi.json", "/api/docs", "/", "/api", "/api/webhooks", "/api/webhooks/deliveries"),
    segment.map((s) => `/api/webhooks/${s}`),
    segment.map((s) => `/api/webhooks/${s}/deliveries`),
    segment.map((s) => `/${s}`),
  );
}

function query(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant("") },
    { weight: 2, arbitrary: fc.array(fc.tuple(fc.constantFrom("filter", "sort", "limit", "q", "x", "", "version", "baseVersion", "confirm", "status", "groupBy"), fc.oneof(fc.constantFrom("%", "%zz", "%C0%AF", "1", "", "%00", "a%2", "-1"), anyString(10).map(encode))), { minLength: 1, maxLength: 3 }).map((pairs) => "?" + pairs.map(([k, v]) => `${k}=${v}`).join("&")) },
    { weight: 1, arbitrary: fc.constantFrom("?", "?&", "?=", "?&&=&", "?%", "?a", "?" + "a=1&".repeat(500)) },
  );
}

function headers(): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        accept: fc.constantFrom("application/json", "application/xml", "text/html", "*/*", "application/problem+json;q=0.1", "garbage"),
        "if-match": fc.constantFrom('"1"', "*", "garbage", 'W/"x"', ""),
        "if-none-match": fc.constantFrom('"1"', "*", "garbage", 'W/"x"'),
        "idempotency-key": fc.constantFrom("k", " ", "x".repeat(300), "é"),
        "content-encoding": fc.constantFrom("gzip", "br", "identity", "x"),
        "accept-encoding": fc.constantFrom("gzip", "br", "deflate", "identity;q=0", "*"),
      },
      { requiredKeys: [] },
    )
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

interface ProtocolPlan {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: { value: unknown; envelope: Envelope };
}

function plan(): fc.Arbitrary<ProtocolPlan> {
  return fc
    .record({ method: fc.constantFrom(...METHODS), path: path(), query: query(), headers: headers(), value: anyJsonOrHeavy(), envelope: envelope(), withBody: fc.boolean() })
    .map(({ method, path, query, headers, value, envelope, withBody }) => {
      const canHaveBody = !["GET", "HEAD"].includes(method);
      return canHaveBody && withBody ? { method, path, query, headers, body: { value, envelope } } : { method, path, query, headers };
    });
}

function materialize(p: ProtocolPlan): { request: RawRequest; expect: Expect } {
  const request: RawRequest = { method: p.method, path: p.path + p.query, headers: { ...p.headers } };
  if (p.body) {
    const { headers, body } = encodeBody(p.body.value, p.body.envelope);
    request.headers = { ...request.headers, ...headers };
    request.body = body;
  }
  const documentation = p.path.startsWith("/api/docs") || p.path === "/api/openapi.json";
  // Outside /api the runtime serves the studio: its pages and assets are not JSON (errors still are problems).
  const studio = !p.path.startsWith("/api/") && p.path !== "/api";
  return { request, expect: documentation || studio ? "any" : "json" };
}

describe.each(databaseTargets)("fuzz: HTTP protocol noise on $name", (target) => {
  const server = useTestServer(target);

  it("answers any method, path, query, header and body with a problem document, never a 5xx", async () => {
    const probe = createProbe(() => server);
    await fc.assert(
      fc.asyncProperty(plan(), async (p) => {
        const { request, expect } = materialize(p);
        await probe.send(request, expect);
      }),
      fuzzParameters("protocol", target.name),
    );
    expectNoFindings(probe, `protocol on ${target.name}`);
  }, 300_000);
});
