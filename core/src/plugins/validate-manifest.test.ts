import manifestSchema from "@crm/schemas/plugin-manifest.schema.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { checkCron } from "./check-cron.ts";
import { DEFAULT_PLUGIN_BUDGETS, resolveBudgets } from "./plugin-budgets.ts";
import { validateManifest } from "./validate-manifest.ts";

const minimal = { id: "lead-scoring", version: "1.0.0", engine: "^0.1.0", capabilities: {} };

const full = {
  id: "com.acme.duplicate-guard",
  version: "2.1.0-beta.1+build.7",
  engine: ">=0.1.0 <2.0.0 || 3.x",
  name: "Duplicate guard",
  description: "Rejects accounts and contacts that already exist.",
  capabilities: {
    records: { read: ["account", "contact"], write: ["account"] },
    http: { fetch: ["https://api.example.com/v1/", "http://intranet.example/"] },
  },
  budgets: { cpuMs: 250, memoryMb: 64, hostCalls: 50, rowsRead: 500, rowsWritten: 10, outboundRequests: 2 },
  settings: { type: "object", properties: { threshold: { type: "number", minimum: 0, maximum: 1 } }, required: ["threshold"] },
  hooks: { beforeCreate: { entities: ["account", "contact"] }, afterDelete: { entities: ["account"] } },
  actions: [{ name: "mergeDuplicates", label: { en: "Merge", de: "Zusammenführen" }, entity: "account", selection: "many" }],
  schedules: [{ name: "nightlyScan", cron: "30 2 * * mon-fri", timezone: "Europe/Berlin" }],
};

const codes = (input: unknown, context = {}) => {
  const result = validateManifest(input, context);
  return result.ok ? [] : result.issues.map((i) => [i.code, i.pointer]);
};

describe("validateManifest", () => {
  it.each([
    ["a minimal manifest", minimal],
    ["a manifest using every part", full],
  ])("accepts %s", (_name, input) => {
    expect(validateManifest(input)).toEqual({ ok: true, value: input });
  });

  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ["an uppercase id", { id: "LeadScoring" }, [["INVALID_PLUGIN_ID", "/id"]]],
    ["an id with a double dot", { id: "com..acme" }, [["INVALID_PLUGIN_ID", "/id"]]],
    ["a two-part version", { version: "1.0" }, [["INVALID_VERSION", "/version"]]],
    ["a version with a leading zero", { version: "01.0.0" }, [["INVALID_VERSION", "/version"]]],
    ["an engine range that is prose", { engine: "latest please" }, [["INVALID_RANGE", "/engine"]]],
    ["an unknown top-level property", { main: "index.js" }, [["UNKNOWN_PROPERTY", "/main"]]],
    ["a capability outside the list", { capabilities: { files: {} } }, [["UNKNOWN_PROPERTY", "/capabilities/files"]]],
    ["a read capability naming an id-style entity", { capabilities: { records: { read: ["service-case"] } } }, [["INVALID_KEY", "/capabilities/records/read/0"]]],
    ["a repeated entity", { capabilities: { records: { write: ["account", "account"] } } }, [["DUPLICATE_ITEM", "/capabilities/records/write"]]],
    ["a URL prefix without a path", { capabilities: { http: { fetch: ["https://api.example.com"] } } }, [["INVALID_URL_PREFIX", "/capabilities/http/fetch/0"]]],
    ["a URL prefix with credentials", { capabilities: { http: { fetch: ["https://user@api.example.com/"] } } }, [["INVALID_URL_PREFIX", "/capabilities/http/fetch/0"]]],
    ["a file URL prefix", { capabilities: { http: { fetch: ["file:///etc/"] } } }, [["INVALID_URL_PREFIX", "/capabilities/http/fetch/0"]]],
    ["a CPU budget over the maximum", { budgets: { cpuMs: 60_000 } }, [["OUT_OF_RANGE", "/budgets/cpuMs"]]],
    ["a memory budget below what an isolate needs", { budgets: { memoryMb: 4 } }, [["OUT_OF_RANGE", "/budgets/memoryMb"]]],
    ["a fractional budget", { budgets: { rowsRead: 1.5 } }, [["INVALID_TYPE", "/budgets/rowsRead"]]],
    ["an unknown budget", { budgets: { diskMb: 1 } }, [["UNKNOWN_PROPERTY", "/budgets/diskMb"]]],
    ["settings that are not an object schema", { settings: { type: "string" } }, [["INVALID_VALUE", "/settings/type"]]],
    ["a hook outside the closed list", { hooks: { beforeSave: { entities: ["account"] } } }, [["UNKNOWN_PROPERTY", "/hooks/beforeSave"]]],
    ["a hook without entities", { hooks: { afterUpdate: { entities: [] } } }, [["TOO_FEW_ITEMS", "/hooks/afterUpdate/entities"]]],
    ["an action without a selection", { actions: [{ name: "grade", label: { en: "Grade" }, entity: "account" }] }, [["REQUIRED", "/actions/0/selection"]]],
    ["an action selection outside one|many", { actions: [{ name: "grade", label: { en: "Grade" }, entity: "account", selection: "all" }] }, [["INVALID_VALUE", "/actions/0/selection"]]],
    ["a kebab-case handler name", { schedules: [{ name: "nightly-scan", cron: "0 3 * * *" }] }, [["INVALID_KEY", "/schedules/0/name"]]],
    ["a time zone that is not a name", { schedules: [{ name: "nightly", cron: "0 3 * * *", timezone: "+02:00" }] }, [["INVALID_TIMEZONE", "/schedules/0/timezone"]]],
  ])("reports %s", (_name, change, expected) => {
    expect(codes({ ...minimal, ...change })).toEqual(expected);
  });

  it("reports every missing required property at once", () => {
    expect(codes({})).toEqual([
      ["REQUIRED", "/id"],
      ["REQUIRED", "/version"],
      ["REQUIRED", "/engine"],
      ["REQUIRED", "/capabilities"],
    ]);
  });

  it("writes messages for people", () => {
    const result = validateManifest({ ...minimal, id: "Lead Scoring", budgets: { cpuMs: 0 } });
    expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([
      '"Lead Scoring" is not valid: a plugin id is kebab-case or reverse-DNS style, e.g. "lead-scoring" or "com.acme.duplicate-guard".',
      '"cpuMs" must be at least 1.',
    ]);
  });

  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ["a settings schema with an unknown keyword", { settings: { type: "object", properties: { a: { type: "string", placeholder: "x" } } } }, [["INVALID_SETTINGS_SCHEMA", "/settings"]]],
    ["a settings schema with a wrong keyword value", { settings: { type: "object", properties: { a: { minLength: -1 } } } }, [["INVALID_SETTINGS_SCHEMA", "/settings/properties/a/minLength"]]],
    ["a settings schema with an unresolvable reference", { settings: { type: "object", properties: { a: { $ref: "#/$defs/missing" } } } }, [["INVALID_SETTINGS_SCHEMA", "/settings"]]],
    ["a cron hour out of range", { schedules: [{ name: "a", cron: "0 24 * * *" }] }, [["INVALID_CRON", "/schedules/0/cron"]]],
    ["an unknown IANA time zone", { schedules: [{ name: "a", cron: "0 3 * * *", timezone: "Mars/Olympus" }] }, [["INVALID_TIMEZONE", "/schedules/0/timezone"]]],
    [
      "two actions with one name",
      { actions: [0, 1].map((i) => ({ name: "grade", label: { en: `Grade ${i}` }, entity: "account", selection: "one" })) },
      [["DUPLICATE_NAME", "/actions/1/name"]],
    ],
    ["two schedules with one name", { schedules: [{ name: "a", cron: "0 3 * * *" }, { name: "a", cron: "0 4 * * *" }] }, [["DUPLICATE_NAME", "/schedules/1/name"]]],
  ])("reports %s (beyond the schema)", (_name, change, expected) => {
    expect(codes({ ...minimal, ...change })).toEqual(expected);
  });

  it("validates one settings schema after another with the same $id", () => {
    const settings = (max: number) => ({ $id: "https://example.com/settings", type: "object", properties: { n: { type: "integer", maximum: max } } });
    expect(validateManifest({ ...minimal, settings: settings(1) }).ok).toBe(true);
    expect(validateManifest({ ...minimal, settings: settings(2) }).ok).toBe(true);
  });

  it("names entities the live schema does not have, wherever they appear", () => {
    expect(codes(full, { entities: ["contact"] })).toEqual([
      ["UNKNOWN_ENTITY", "/capabilities/records/read/0"],
      ["UNKNOWN_ENTITY", "/capabilities/records/write/0"],
      ["UNKNOWN_ENTITY", "/hooks/beforeCreate/entities/0"],
      ["UNKNOWN_ENTITY", "/hooks/afterDelete/entities/0"],
      ["UNKNOWN_ENTITY", "/actions/0/entity"],
    ]);
    expect(codes(full, { entities: ["account", "contact"] })).toEqual([]);
  });
});

describe("checkCron", () => {
  it.each(["* * * * *", "*/15 9-17 * * 1-5", "0 0 1,15 jan-jun sun", "5 4 * * 7", "0 0 L * *".replace("L", "31"), "0-59/10 0 1 12 sat"])("accepts %s", (cron) => {
    expect(checkCron(cron)).toBeUndefined();
  });

  it.each([
    ["* * * *", "a cron expression has 5 fields (minute hour day-of-month month day-of-week), got 4"],
    ["60 * * * *", "minute 60 is out of range 0-59"],
    ["* * 0 * *", "day of month 0 is out of range 1-31"],
    ["* * * 13 *", "month 13 is out of range 1-12"],
    ["* * * * 8", "day of week 8 is out of range 0-7"],
    ["* * * * fri-mon", "day of week range fri-mon runs backwards"],
    ["*/0 * * * *", "minute step 0 is out of range 1-59"],
    ["* * * foo *", "month foo is out of range 1-12"],
    ["1,,2 * * * *", 'minute "" is not a value, a range or a step'],
  ])("rejects %s", (cron, problem) => {
    expect(checkCron(cron)).toBe(problem);
  });
});

describe("plugin-manifest.schema.json", () => {
  const propertySchemas = (node: unknown): Array<Record<string, unknown>> => {
    if (typeof node !== "object" || node === null) return [];
    const own = "properties" in node && typeof node.properties === "object" ? Object.values(node.properties as object) : [];
    return [...own, ...Object.values(node).flatMap(propertySchemas)];
  };

  it("gives every property a title, for the studio's forms", () => {
    const properties = propertySchemas(manifestSchema);
    expect(properties.length).toBeGreaterThan(30);
    expect(properties.filter((s) => typeof s["title"] !== "string")).toEqual([]);
  });

  it("has the same budget defaults as core", () => {
    const budgets = manifestSchema.properties.budgets.properties;
    const defaults = Object.fromEntries(Object.entries(budgets).map(([name, schema]) => [name, schema.default]));
    expect(defaults).toEqual(DEFAULT_PLUGIN_BUDGETS);
    expect(resolveBudgets({ budgets: { cpuMs: 5 } })).toEqual({ ...DEFAULT_PLUGIN_BUDGETS, cpuMs: 5 });
  });
});
