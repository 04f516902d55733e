import { afterEach, describe, expect, it } from "vitest";
import { createPluginSandbox } from "./create-plugin-sandbox.ts";
import type { PluginSandbox } from "./create-plugin-sandbox.ts";
import { createTestHostApi } from "./test-host-api.ts";
import type { InvocationCall, SandboxBudgets } from "./types.ts";

const budgets: SandboxBudgets = { cpuMs: 100, memoryMb: 16, hostCalls: 20, rowsRead: 10, rowsWritten: 3, outboundRequests: 2 };
const opened: PluginSandbox[] = [];

function sandbox(code: string, overrides: Partial<SandboxBudgets> = {}, options = {}) {
  const created = createPluginSandbox({ id: "test-plugin", version: "1.0.0", code, budgets: { ...budgets, ...overrides } }, options);
  opened.push(created);
  return created;
}

/** A bundle with one action `run` whose body is `body` (an async function of input and crm). */
const action = (body: string, prelude = "") => `${prelude}\nglobalThis.plugin = { actions: { async run(input, crm) { ${body} } } };`;
const run = (input: InvocationCall["input"] = null): InvocationCall => ({ kind: "action", name: "run", input });

afterEach(() => {
  for (const s of opened.splice(0)) s.dispose();
});

describe("loading a bundle", () => {
  it.each([
    ["assigns globalThis.plugin", `globalThis.plugin = { hooks: { beforeCreate() {} }, actions: { grade() {} }, schedules: { nightly() {} } };`],
    ["ends with the definition", `const x = 1; ({ hooks: { beforeCreate() {} }, actions: { grade() {} }, schedules: { nightly() {} } })`],
    ["is an esbuild iife with a default export", `var plugin = (() => ({ default: { hooks: { beforeCreate() {} }, actions: { grade() {} }, schedules: { nightly() {} } } }))();`],
  ])("finds the handlers of a bundle that %s", async (_name, code) => {
    expect(await sandbox(code).load()).toEqual({ hooks: ["beforeCreate"], actions: ["grade"], schedules: ["nightly"] });
  });

  it.each([
    ["defines no plugin", "const x = 1;", "defines no plugin"],
    ["has a handler that is not a function", "globalThis.plugin = { hooks: { beforeCreate: 1 } };", "plugin.hooks.beforeCreate is not a function"],
    ["does not parse", "globalThis.plugin = {", "Unexpected end of input"],
    ["throws at the top level", "throw new Error('no config')", "no config"],
    ["spins at the top level", "for (;;) {}", "timed out"],
  ])("reports a bundle that %s, and every invocation says it did not load", async (_name, code, message) => {
    const s = sandbox(code, {}, { loadTimeoutMs: 100 });
    await expect(s.load()).rejects.toThrow(message);
    const result = await s.invoke(run(), createTestHostApi().api);
    expect(result).toMatchObject({ outcome: "error", error: { code: "LOAD_FAILED" } });
    expect(result.error?.message).toContain("test-plugin@1.0.0");
  });
});

describe("invoking a handler", () => {
  it("passes a copy of the input and returns a copy of the result, with time and use", async () => {
    const s = sandbox(action("input.list.push(4); return { got: input, at: new Date().toISOString(), now: Date.now() === crm.now() };"));
    const input = { list: [1, 2, 3] };
    const result = await s.invoke(run(input), createTestHostApi().api);
    expect(result).toMatchObject({ outcome: "ok", value: { got: { list: [1, 2, 3, 4] }, at: "2024-01-02T03:04:05.000Z", now: true } });
    expect(input.list).toEqual([1, 2, 3]);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.cpuMs).toBeGreaterThan(0);
    expect(result.usage).toEqual({ hostCalls: 0, rowsRead: 0, rowsWritten: 0, outboundRequests: 0 });
  });

  it("gives reproducible random numbers from the host's seed", async () => {
    const code = action("return [Math.random(), crm.random(), Math.random()];");
    const values = async (random: number) => (await sandbox(code).invoke(run(), createTestHostApi({ random }).api)).value;
    expect(await values(0.25)).toEqual(await values(0.25));
    expect(await values(0.25)).not.toEqual(await values(0.75));
  });

  it("routes every host API method to the host, with plain copies of the arguments", async () => {
    const { api, calls } = createTestHostApi({ fetchable: ["https://api.example.com/"] });
    const body = `
      const rows = await crm.records.find("account", { filter: "x" });
      const one = await crm.records.get("account", "a1");
      const made = await crm.records.create("account", { name: "Acme", when: new Date(0) });
      await crm.records.update("account", made.id, { name: "Acme 2" });
      await crm.records.delete("account", made.id);
      await crm.log.warn("careful", { n: 1 });
      const settings = await crm.settings();
      const page = await crm.http.fetch("https://api.example.com/x", { method: "GET" });
      return { rows: rows.length, one, made, settings, status: page.status };`;
    const result = await sandbox(action(body)).invoke(run(), api);
    expect(result).toMatchObject({ outcome: "ok", value: { rows: 3, one: { id: "a1" }, made: { name: "Acme", id: "new-1" }, settings: { threshold: 0.5 }, status: 200 } });
    expect(calls).toEqual([
      { method: "records.find", args: ["account", { filter: "x", limit: 11 }] },
      { method: "records.get", args: ["account", "a1"] },
      { method: "records.create", args: ["account", { name: "Acme", when: "1970-01-01T00:00:00.000Z" }] },
      { method: "records.update", args: ["account", "new-1", { name: "Acme 2" }] },
      { method: "records.delete", args: ["account", "new-1"] },
      { method: "log", args: ["warn", "careful", { n: 1 }] },
      { method: "settings", args: [] },
      { method: "http.fetch", args: ["https://api.example.com/x", { method: "GET" }] },
    ]);
    expect(result.usage).toEqual({ hostCalls: 8, rowsRead: 4, rowsWritten: 3, outboundRequests: 1 });
  });

  it("hands host errors with a code to the plugin, and hides the rest", async () => {
    const api = createTestHostApi().api;
    api.records.get = async () => {
      throw new Error("connection to 10.0.0.5:5432 refused");
    };
    const body = `
      const seen = [];
      for (const attempt of [() => crm.http.fetch("https://evil.example/"), () => crm.records.get("account", "a"), () => crm.records.create("account", 5)]) {
        try { await attempt(); } catch (e) { seen.push([e.name, e.code, e.message]); }
      }
      return seen;`;
    expect((await sandbox(action(body)).invoke(run(), api)).value).toEqual([
      ["Error", "URL_NOT_ALLOWED", "Fetching https://evil.example/ is not allowed."],
      ["HostCallError", "HOST_ERROR", "The host call failed."],
      ["HostCallError", "INVALID_ARGUMENT", "Argument 2 must be an object of field values."],
    ]);
  });

  it("reports a thrown value as an error with the plugin's code when it has one", async () => {
    const api = createTestHostApi().api;
    const thrown = async (what: string) => (await sandbox(action(`throw ${what};`)).invoke(run(), api)).error;
    expect(await thrown("Object.assign(new TypeError('bad'), { code: 'DUPLICATE_EMAIL' })")).toEqual({ name: "TypeError", code: "DUPLICATE_EMAIL", message: "bad" });
    expect(await thrown("Object.assign(new Error('x'), { code: 'not a code' })")).toEqual({ name: "Error", code: "PLUGIN_ERROR", message: "x" });
    expect(await thrown("'just text'")).toEqual({ name: "Error", code: "PLUGIN_ERROR", message: "just text" });
    expect(await thrown("{ get message() { throw 1 } }")).toEqual({ name: "Error", code: "PLUGIN_ERROR", message: "The plugin threw a value that could not be read." });
  });

  it("says so when the plugin has no such handler", async () => {
    const result = await sandbox(action("return 1;")).invoke({ kind: "hook", name: "beforeCreate", input: null }, createTestHostApi().api);
    expect(result).toMatchObject({ outcome: "error", error: { code: "NO_HANDLER" } });
  });

  it("runs invocations one at a time, in call order, in one warm isolate", async () => {
    const s = sandbox(action("globalThis.n = (globalThis.n ?? 0) + 1; await crm.log.info('x'); const mine = globalThis.n; await crm.log.info('y'); return [mine, globalThis.n];"));
    const { api } = createTestHostApi({ delayMs: 5 });
    const results = await Promise.all([1, 2, 3].map(() => s.invoke(run(), api)));
    expect(results.map((r) => r.value)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(s.warm).toBe(true);
  });
});

describe("results leaving the sandbox", () => {
  it.each([
    ["drops functions, as JSON does", "return { f() {}, n: 1 };", { outcome: "ok", value: { n: 1 } }],
    ["turns undefined into null", "return undefined;", { outcome: "ok", value: null }],
    ["refuses a BigInt", "return { n: 1n };", { outcome: "error", error: { code: "INVALID_RESULT" } }],
    ["refuses a cycle", "const a = {}; a.a = a; return a;", { outcome: "error", error: { code: "INVALID_RESULT" } }],
    ["refuses more than the output limit", "return 'x'.repeat(2000);", { outcome: "error", error: { code: "OUTPUT_TOO_LARGE" } }],
    ["drops __proto__ keys", `return JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');`, { outcome: "ok", value: { a: 1 } }],
  ])("%s", async (_name, body, expected) => {
    const result = await sandbox(action(body), {}, { maxOutputChars: 1000 }).invoke(run(), createTestHostApi().api);
    expect(result).toMatchObject(expected);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

it("refuses host call arguments over the limit before they reach the host", async () => {
  const { api, calls } = createTestHostApi();
  const s = sandbox(action("try { await crm.log.info('x'.repeat(5000)); } catch (e) { return [e.code, e.name]; }"), {}, { maxArgumentChars: 1000 });
  expect(await s.invoke(run(), api)).toMatchObject({ outcome: "ok", value: ["ARGUMENT_TOO_LARGE", "RangeError"], usage: { hostCalls: 0 } });
  expect(calls).toEqual([]);
});

describe("budgets", () => {
  it.each<[string, string, string]>([
    ["hostCalls", "for (;;) await crm.log.info('x');", "hostCalls"],
    ["rowsRead by find", "await crm.records.find('account', {}); await crm.records.find('account', {}); await crm.records.find('account', {}); await crm.records.find('account', {});", "rowsRead"],
    ["rowsRead by get", "for (;;) await crm.records.get('account', 'a');", "rowsRead"],
    ["rowsWritten", "for (;;) await crm.records.create('account', { name: 'x' });", "rowsWritten"],
    ["outboundRequests", "for (;;) await crm.http.fetch('https://api.example.com/');", "outboundRequests"],
  ])("ends the invocation when %s runs out, with an error naming the budget", async (_name, body, budget) => {
    const { api, calls } = createTestHostApi({ fetchable: ["https://api.example.com/"] });
    const code = action(`try { ${body} } catch (e) { await crm.log.info('after').catch((again) => { throw e; }); return 'caught: ' + e.message; }`);
    const result = await sandbox(code).invoke(run(), api);
    expect(result).toMatchObject({ outcome: "budget_exceeded", budget, error: { code: "BUDGET_EXCEEDED", message: expect.stringContaining(budget) } });
    expect(result.usage[budget as keyof typeof result.usage]).toBeGreaterThanOrEqual(budgets[budget as keyof SandboxBudgets]);
    expect(calls.filter((c) => c.args[1] === "after")).toEqual([]);
  });

  it("asks find for no more rows than are left, plus one", async () => {
    const { api, calls } = createTestHostApi({ rows: 5 });
    const result = await sandbox(action("await crm.records.find('a', { limit: 100 }); await crm.records.find('a', { limit: 2 }); await crm.records.find('a', {}); return 1;")).invoke(run(), api);
    expect(calls.map((c) => (c.args[1] as { limit: number }).limit)).toEqual([11, 2, 4]);
    expect(result).toMatchObject({ outcome: "budget_exceeded", budget: "rowsRead", usage: { rowsRead: 11 } });
  });
});

describe("limits of time and memory", () => {
  it("stops a CPU-bound handler at its CPU budget, then rebuilds the isolate", async () => {
    const s = sandbox(action("if (input === 'spin') for (;;) {} globalThis.count = (globalThis.count ?? 0) + 1; return globalThis.count;"), { cpuMs: 50 });
    const api = createTestHostApi().api;
    expect((await s.invoke(run(), api)).value).toBe(1);
    const spun = await s.invoke(run("spin"), api);
    expect(spun).toMatchObject({ outcome: "timeout", limit: "cpu", error: { code: "CPU_TIME_EXCEEDED" } });
    expect(spun.cpuMs).toBeGreaterThanOrEqual(45);
    expect(s.warm).toBe(false);
    expect((await s.invoke(run(), api)).value).toBe(1);
  });

  it("does not count time spent waiting for the host against the CPU budget", async () => {
    const result = await sandbox(action("await crm.log.info('slow'); return 'done';"), { cpuMs: 20 }).invoke(run(), createTestHostApi({ delayMs: 150 }).api);
    expect(result).toMatchObject({ outcome: "ok", value: "done" });
    expect(result.durationMs).toBeGreaterThanOrEqual(140);
  });

  it("stops at the wall-clock deadline while the plugin waits on the host, and refuses the late answer", async () => {
    const s = sandbox(action("if (input === 'slow') { await crm.records.create('a', {}); return 'late'; } return 'fresh';"));
    const { api, calls } = createTestHostApi({ delayMs: 400 });
    const result = await s.invoke({ ...run("slow"), deadline: Date.now() + 100 }, api);
    expect(result).toMatchObject({ outcome: "timeout", limit: "wall", error: { code: "WALL_TIME_EXCEEDED" } });
    expect(result.durationMs).toBeLessThan(350);
    expect(s.warm).toBe(false);
    expect(await s.invoke(run(), api)).toMatchObject({ outcome: "ok", value: "fresh" });
    expect(calls.map((c) => c.method)).toEqual(["records.create"]);
  });

  it("stops a promise that never settles at the wall-clock deadline", async () => {
    const result = await sandbox(action("await new Promise(() => {});")).invoke({ ...run(), deadline: Date.now() + 100 }, createTestHostApi().api);
    expect(result).toMatchObject({ outcome: "timeout", limit: "wall" });
  });

  it("reports an exhausted heap as memory, then rebuilds the isolate", async () => {
    const s = sandbox(action("if (input === 'grow') { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); } return 'ok';"), { memoryMb: 16, cpuMs: 5000 });
    const api = createTestHostApi().api;
    expect(await s.invoke(run("grow"), api)).toMatchObject({ outcome: "memory", error: { code: "MEMORY_EXCEEDED" } });
    expect(await s.invoke(run(), api)).toMatchObject({ outcome: "ok", value: "ok" });
  });
});

describe("the host API of an invocation that has ended", () => {
  it("is refused when the plugin kept it for later", async () => {
    const s = sandbox(action("if (input === 'keep') { globalThis.kept = crm; return 'kept'; } try { await globalThis.kept.records.create('a', {}); } catch (e) { return e.code; }"));
    const { api, calls } = createTestHostApi();
    await s.invoke(run("keep"), api);
    expect((await s.invoke(run("use"), api)).value).toBe("INVOCATION_ENDED");
    expect(calls).toEqual([]);
  });

  it("is refused to getters that run while the result is copied out", async () => {
    const { api, calls } = createTestHostApi();
    const result = await sandbox(action("return { get x() { crm.records.create('a', {}).catch(() => {}); return 1; } };")).invoke(run(), api);
    expect(result).toMatchObject({ outcome: "ok", value: { x: 1 } });
    expect(calls).toEqual([]);
  });
});

describe("the result envelope", () => {
  it("is checked on the host, not trusted: a plugin that forges it through Object.prototype.toJSON gets only what it could return anyway", async () => {
    const forge = "Object.prototype.toJSON = function () { return 'ok' in this ? { ok: false, error: { code: 'not a code', name: 7, message: 'x'.repeat(5000) } } : this; };";
    const result = await sandbox(action("return 1;", forge)).invoke(run(), createTestHostApi().api);
    expect(result).toMatchObject({ outcome: "error", error: { code: "PLUGIN_ERROR", name: "Error" } });
    expect(result.error?.message).toHaveLength(2000);
    const unreadable = await sandbox(action("return 1;", "Object.prototype.toJSON = function () { return 'ok' in this ? [1] : this; };")).invoke(run(), createTestHostApi().api);
    expect(unreadable).toMatchObject({ outcome: "error", error: { code: "INVALID_RESULT" } });
  });
});
