import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { Server as HttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SandboxBudgets } from "@crm/plugin-sandbox";
import { createTestHostApi } from "@crm/plugin-sandbox/testing";
import type { RecordedCall } from "@crm/plugin-sandbox/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginHost } from "./plugin-host.ts";
import type { PluginHost, PluginHostEvent, PluginInvocationResult } from "./plugin-host.ts";

// Escape and abuse attempts, each a real plugin run by the real plugin-host process. Around them:
// canaries the plugins must never reach (a secret in the environment of this process and of the
// plugin host, a file, a local TCP port), and an HTTP server plus a timer in this process that
// must keep answering throughout.

const ENV_SECRET = `env-canary-${randomUUID()}`;
const FILE_SECRET = `file-canary-${randomUUID()}`;
const budgets: SandboxBudgets = { cpuMs: 100, memoryMb: 16, hostCalls: 20, rowsRead: 50, rowsWritten: 5, outboundRequests: 2 };

let host: PluginHost;
let dir: string;
let canaryFile: string;
let tcp: TcpServer;
let tcpPort: number;
let tcpConnections = 0;
let http: HttpServer;
let pinger: NodeJS.Timeout;
let ticker: NodeJS.Timeout;
const pings = { ok: 0, failed: 0 };
let lastTick = performance.now();
let longestTickGapMs = 0;
/** Everything that came back from the plugins: results and the host calls they made. */
const transcript: string[] = [];
const events: PluginHostEvent[] = [];
let attempts = 0;

type Attempt = PluginInvocationResult & { calls: RecordedCall[] };

/** Load `code` as a new plugin, run its action `run` once (or once per input) and unload it. */
async function runPlugin(code: string, options: { budgets?: Partial<SandboxBudgets>; deadlineMs?: number; inputs?: unknown[] } = {}): Promise<Attempt[]> {
  const id = `abuse-${++attempts}`;
  await host.load({ id, version: "1.0.0", budgets: { ...budgets, ...options.budgets }, code });
  const results: Attempt[] = [];
  for (const input of options.inputs ?? [null]) {
    const { api, calls } = createTestHostApi({ fetchable: ["https://api.example.com/"] });
    const result = await host.invoke(id, { kind: "action", name: "run", input: input as never, deadline: Date.now() + (options.deadlineMs ?? 2000) }, api);
    transcript.push(JSON.stringify(result), JSON.stringify(calls));
    results.push({ ...result, calls });
  }
  await host.unload(id);
  return results;
}

/** A plugin whose action `run` has `body` as its body (`input` and `crm` in scope). */
const plugin = (body: string) => `globalThis.plugin = { actions: { run: async function run(input, crm) { ${body} } } };`;

async function attempt(body: string, options: { budgets?: Partial<SandboxBudgets>; deadlineMs?: number } = {}): Promise<Attempt> {
  const [result] = await runPlugin(plugin(body), options);
  return result as Attempt;
}

beforeAll(async () => {
  process.env["CRM_CANARY_SECRET"] = ENV_SECRET;
  dir = mkdtempSync(join(tmpdir(), "plugin-escape-"));
  canaryFile = join(dir, "canary.txt");
  writeFileSync(canaryFile, FILE_SECRET);
  tcp = createTcpServer((socket) => {
    tcpConnections += 1;
    socket.end(ENV_SECRET);
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  tcpPort = (tcp.address() as { port: number }).port;
  http = createHttpServer((_request, response) => response.end("pong"));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}/`;
  pinger = setInterval(() => {
    fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      async (response) => (response.ok && (await response.text()) === "pong" ? pings.ok++ : pings.failed++),
      () => pings.failed++,
    );
  }, 50);
  ticker = setInterval(() => {
    const now = performance.now();
    longestTickGapMs = Math.max(longestTickGapMs, now - lastTick);
    lastTick = now;
  }, 10);
  host = createPluginHost({ env: { CRM_CANARY_SECRET: ENV_SECRET }, maxConsecutiveFailures: 1000, onEvent: (event) => events.push(event) });
});

afterAll(async () => {
  clearInterval(pinger);
  clearInterval(ticker);
  await host.close();
  await new Promise((resolve) => http.close(resolve));
  await new Promise((resolve) => tcp.close(resolve));
  rmSync(dir, { recursive: true, force: true });
  delete process.env["CRM_CANARY_SECRET"];
});

const NOT_DEFINED = "ReferenceError: process is not defined";

describe("reaching host functions", () => {
  it.each<[string, string, unknown]>([
    ["a constructor chain from the global this", "try { return this.constructor.constructor('return process')().env; } catch (e) { return e.name + ': ' + e.message; }", NOT_DEFINED],
    ["a constructor chain from the host API object", "try { return crm.constructor.constructor('return process')().env; } catch (e) { return e.name + ': ' + e.message; }", NOT_DEFINED],
    ["a constructor chain from a host API function", "try { return (await crm.records.find.constructor('return process')()).env; } catch (e) { return e.name + ': ' + e.message; }", NOT_DEFINED],
    [
      "a constructor chain from an error the host threw",
      "try { await crm.records.get('account', 42); } catch (e) { try { return e.constructor.constructor('return process')(); } catch (inner) { return [e.code, Object.getPrototypeOf(e) === Error.prototype, inner.message]; } }",
      ["INVALID_ARGUMENT", true, "process is not defined"],
    ],
    [
      "a constructor chain from a host call's promise",
      "const p = crm.log.info('x'); try { return p.constructor.constructor('return process')(); } catch (e) { return [p instanceof Promise, e.message]; }",
      [true, "process is not defined"],
    ],
    [
      "the AsyncFunction and GeneratorFunction constructors",
      "const AsyncFunction = (async () => {}).constructor; const GeneratorFunction = (function* () {}).constructor; return [await AsyncFunction('return typeof process')(), GeneratorFunction('yield typeof require')().next().value];",
      ["undefined", "undefined"],
    ],
    [
      "structured stack traces through Error.prepareStackTrace",
      "let refused; try { Object.defineProperty(Error, 'prepareStackTrace', { value: (e, frames) => frames }); } catch (e) { refused = e.name; } Error.prepareStackTrace = (e, frames) => frames; let stack; try { await crm.records.get('account', 1); } catch (e) { stack = e.stack; } return [refused, typeof Error.prepareStackTrace, typeof stack];",
      ["TypeError", "undefined", "string"],
    ],
    [
      "a search of every object reachable from the global object and the host API for the bridge",
      `const seen = new Set(); const queue = [globalThis, crm]; const found = [];
       while (queue.length > 0 && seen.size < 50000) {
         const o = queue.shift();
         if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue;
         seen.add(o);
         for (const key of Reflect.ownKeys(o)) {
           if (['applySyncPromise', 'applySync', 'applyIgnored', 'derefInto', 'copyInto', 'typeof'].includes(String(key))) found.push(String(key));
           let d; try { d = Object.getOwnPropertyDescriptor(o, key); } catch (e) { continue; }
           queue.push(d.value, d.get, d.set);
         }
         queue.push(Object.getPrototypeOf(o));
       }
       return { found, searched: seen.size > 500 };`,
      { found: [], searched: true },
    ],
    [
      "names from Node, browsers and isolated-vm on the global object",
      "return ['process', 'require', 'module', 'exports', 'Buffer', 'global', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'XMLHttpRequest', 'WebSocket', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'ivm', '_ivm', '$0', '$1', 'bridge', 'performance', 'navigator', 'Deno', 'Bun'].filter((name) => name in globalThis);",
      [],
    ],
    ["eval", "return [eval('typeof process'), eval('typeof require'), (0, eval)('this') === globalThis];", ["undefined", "undefined", true]],
    ["Function", "return Function('return typeof process + typeof require + typeof fetch')();", "undefinedundefinedundefined"],
    ["a dynamic import of node:fs", "try { await import('node:fs'); return 'imported'; } catch (e) { return e.message; }", "Not supported"],
  ])("is refused: %s", async (_name, body, expected) => {
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: expected });
  });
});

describe("reaching the machine", () => {
  it("finds no environment secret by any route", async () => {
    const body = `const found = [];
      try { found.push(process.env.CRM_CANARY_SECRET); } catch (e) { found.push(e.name); }
      try { found.push(Function('return process')().env.CRM_CANARY_SECRET); } catch (e) { found.push(e.name); }
      try { found.push((await crm.http.fetch('file:///proc/self/environ')).body); } catch (e) { found.push(e.code); }
      return found;`;
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: ["ReferenceError", "ReferenceError", "URL_NOT_ALLOWED"] });
  });

  it("cannot read the canary file", async () => {
    const path = JSON.stringify(canaryFile);
    const body = `const out = [];
      try { out.push((await crm.http.fetch('file://' + ${path})).body); } catch (e) { out.push(e.code); }
      try { out.push(await import(${path})); } catch (e) { out.push(e.message); }
      return out;`;
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: ["URL_NOT_ALLOWED", "Not supported"] });
  });

  it("cannot connect to a local port", async () => {
    const body = `const out = [typeof fetch, typeof WebSocket];
      try { await crm.http.fetch('http://127.0.0.1:${tcpPort}/'); } catch (e) { out.push(e.code); }
      try { await import('node:net'); } catch (e) { out.push(e.message); }
      return out;`;
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: ["undefined", "undefined", "URL_NOT_ALLOWED", "Not supported"] });
    expect(tcpConnections).toBe(0);
  });

  it("has neither SharedArrayBuffer and Atomics nor WebAssembly to make them", async () => {
    const body = `let shared; try { shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer.constructor.name; } catch (e) { shared = e.name; }
      return [typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly, shared, (() => { try { return typeof Function('return WebAssembly')(); } catch (e) { return e.name; } })()];`;
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: ["undefined", "undefined", "undefined", "ReferenceError", "ReferenceError"] });
  });

  it("cannot climb from a synchronous handler's caller into the sandbox's own functions", async () => {
    const [result] = await runPlugin("globalThis.plugin = { actions: { run: function run(input, crm) { return [String(run.caller), String(arguments.callee.caller)]; } } };");
    expect(result).toMatchObject({ outcome: "ok", value: ["null", "null"] });
  });

  it("has no timers", async () => {
    const body = "return [typeof setTimeout, typeof setInterval, typeof setImmediate, typeof queueMicrotask, typeof requestAnimationFrame];";
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: ["undefined", "undefined", "undefined", "undefined", "undefined"] });
  });
});

describe("polluting what others use", () => {
  it("pollutes prototypes in its own isolate only: this process and the next plugin see nothing", async () => {
    const body = "Object.prototype.polluted = 'yes'; Array.prototype.polluted = 'yes'; JSON.stringify = () => '\"hijacked\"'; JSON.parse = () => 'hijacked'; return [({}).polluted, await crm.settings()];";
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: ["yes", { threshold: 0.5 }] });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(await attempt("return [({}).polluted === undefined, JSON.stringify({ a: 1 })];")).toMatchObject({ outcome: "ok", value: [true, '{"a":1}'] });
  });

  it("sends __proto__ keys to the host and back: they arrive as nothing", async () => {
    const body = `const evil = JSON.parse('{"__proto__": {"isAdmin": true}, "name": "x"}'); await crm.records.create('account', evil); return evil;`;
    const result = await attempt(body);
    expect(result).toMatchObject({ outcome: "ok", value: { name: "x" } });
    expect(result.calls).toEqual([{ method: "records.create", args: ["account", { name: "x" }] }]);
    expect(Object.keys(result.calls[0]?.args[1] as object)).toEqual(["name"]);
    expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
  });

  it("pollutes Object.prototype with transfer options, hoping the bridge hands out References", async () => {
    const body = `for (const key of ['reference', 'copy', 'externalCopy', 'promise', 'result', 'arguments']) Object.prototype[key] = key === 'copy' ? false : { reference: true };
      const settings = await crm.settings(); const rows = await crm.records.find('account', {});
      return [typeof settings.threshold, Array.isArray(rows), typeof rows[0].id, Object.getOwnPropertyNames(settings)];`;
    expect(await attempt(body)).toMatchObject({ outcome: "ok", value: ["number", true, "string", ["threshold"]] });
    expect(({} as Record<string, unknown>)["reference"]).toBeUndefined();
  });
});

describe("stalling and running on", () => {
  it.each<[string, string]>([
    ["while (true)", "while (true) {}"],
    ["an async infinite loop", "for (;;) await null;"],
    ["a promise-chained infinite loop", "const loop = () => Promise.resolve().then(loop); loop(); await new Promise(() => {});"],
    ["a getter of its result that spins", "return { get x() { for (;;) {} } };"],
    ["a thrown object whose message spins", "throw { get message() { for (;;) {} } };"],
  ])("is stopped at its CPU budget: %s", async (_name, body) => {
    const result = await attempt(body);
    expect(result).toMatchObject({ outcome: "timeout", limit: "cpu" });
    expect(result.cpuMs).toBeGreaterThanOrEqual(budgets.cpuMs * 0.9);
    expect(result.durationMs).toBeLessThan(1500);
  });

  it("is stopped at the wall-clock deadline: a promise that never settles", async () => {
    const result = await attempt("await new Promise(() => {});", { deadlineMs: 300 });
    expect(result).toMatchObject({ outcome: "timeout", limit: "wall" });
    expect(result.durationMs).toBeLessThan(1000);
  });

  it("cannot make host calls after it has returned", async () => {
    const later = "(async () => { for (let i = 0; i < 50; i++) await null; await crm.records.create('account', { name: 'after-return' }); })()";
    const handled = await attempt(`${later}.catch(() => {}); return 'returned';`);
    expect(handled).toMatchObject({ outcome: "ok", value: "returned" });
    expect(handled.calls).toEqual([]);
    const unhandled = await attempt(`${later}; return 'returned';`);
    expect(unhandled).toMatchObject({ outcome: "error", error: { code: "UNHANDLED_REJECTION", message: expect.stringContaining("This invocation has ended") } });
    expect(unhandled.calls).toEqual([]);
  });

  it("cannot keep a microtask loop running after it has returned", async () => {
    const code = plugin("if (input === 'check') return globalThis.ticks === undefined ? 'fresh isolate' : globalThis.ticks; globalThis.ticks = 0; (async () => { for (;;) { globalThis.ticks++; await null; } })(); return 'returned';");
    const [started, checked] = await runPlugin(code, { inputs: [null, "check"] });
    expect(started).toMatchObject({ outcome: "timeout", limit: "cpu" });
    expect(checked).toMatchObject({ outcome: "ok", value: "fresh isolate" });
  });

  it("cannot use the host API of an earlier invocation", async () => {
    const code = plugin("if (input === 'keep') { globalThis.kept = crm; return 'kept'; } try { await globalThis.kept.records.create('account', { name: 'stale' }); return 'created'; } catch (e) { return e.code; }");
    const [kept, reused] = await runPlugin(code, { inputs: ["keep", "reuse"] });
    expect(kept).toMatchObject({ outcome: "ok", value: "kept" });
    expect(reused).toMatchObject({ outcome: "ok", value: "INVOCATION_ENDED" });
    expect(reused?.calls).toEqual([]);
  });

  it("re-enters the bridge from a getter of its arguments: the calls run in order and are counted", async () => {
    const result = await attempt("const made = await crm.records.create('account', { get name() { crm.log.info('nested'); return 'outer'; } }); return made.name;");
    expect(result).toMatchObject({ outcome: "ok", value: "outer", usage: { hostCalls: 2, rowsWritten: 1 } });
    expect(result.calls.map((c) => [c.method, c.args[1]])).toEqual([
      ["log", "nested"],
      ["records.create", { name: "outer" }],
    ]);
  });

  it("re-enters the bridge over and over from a getter: the host-call budget ends it", async () => {
    const result = await attempt("await crm.records.create('account', { get name() { for (let i = 0; i < 50; i++) crm.log.info('nested ' + i).catch(() => {}); return 'x'; } }); return 'survived';");
    expect(result).toMatchObject({ outcome: "budget_exceeded", budget: "hostCalls", usage: { hostCalls: budgets.hostCalls } });
    expect(result.calls).toHaveLength(budgets.hostCalls);
    expect(result.calls.map((c) => c.method)).not.toContain("records.create");
  });

  it("re-enters the bridge without end from toJSON: the stack limit ends it, with no deadlock", async () => {
    const result = await attempt("const loop = { toJSON() { crm.log.info(loop).catch(() => {}); return 1; } }; await crm.log.info(loop); return 'survived';");
    expect(result).toMatchObject({ outcome: "ok", value: "survived" });
    expect(result.calls.length).toBeLessThanOrEqual(budgets.hostCalls);
  });
});

describe("exhausting memory", () => {
  it("recurses without end: a RangeError", async () => {
    expect(await attempt("const f = (n) => f(n + 1) + 1; return f(0);")).toMatchObject({ outcome: "error", error: { name: "RangeError", message: "Maximum call stack size exceeded" } });
  });

  it("doubles a string without end: a RangeError", async () => {
    expect(await attempt("let s = 'x'; for (;;) s += s;")).toMatchObject({ outcome: "error", error: { name: "RangeError", message: "Invalid string length" } });
  });

  it("asks for a 2 GB ArrayBuffer: a RangeError", async () => {
    expect(await attempt("return new ArrayBuffer(2 ** 31).byteLength;")).toMatchObject({ outcome: "error", error: { name: "RangeError" } });
  });

  it("fills arrays past its heap limit: outcome memory, and the next call gets a fresh isolate", async () => {
    const code = plugin("if (input === 'grow') { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); } return 'fine';");
    const [grown, next] = await runPlugin(code, { budgets: { cpuMs: 5000 }, inputs: ["grow", "next"] });
    expect(grown).toMatchObject({ outcome: "memory", error: { code: "MEMORY_EXCEEDED" } });
    expect(next).toMatchObject({ outcome: "ok", value: "fine" });
  });

  // isolated-vm cannot catch every out-of-memory: V8 aborts the whole process when a Map's backing
  // table cannot grow. That costs the plugin host, never this process.
  it("grows a Map until V8 aborts: at most the plugin host dies, and the next invocation works within 2 s", async () => {
    const before = host.pid;
    const pingsBefore = pings.ok;
    const [bomb] = await runPlugin(plugin("const m = new Map(); for (let i = 0; ; i++) m.set(i, { i });"), { budgets: { cpuMs: 10_000 }, deadlineMs: 8000 });
    expect(bomb).toMatchObject({ outcome: "crashed", error: { code: "PLUGIN_HOST_CRASHED" } });
    const bombId = `abuse-${attempts}`;
    expect(bomb?.error?.message).toBe(`Plugin "${bombId}" 1.0.0 failed: the plugin host process stopped (SIGABRT) while it ran.`);
    const crashedAt = Date.now();
    expect(await attempt("return 'alive';")).toMatchObject({ outcome: "ok", value: "alive" });
    expect(Date.now() - crashedAt).toBeLessThan(2000);
    expect(host.pid).not.toBe(before);
    expect(events).toContainEqual(expect.objectContaining({ type: "crashed", pid: before, reason: "SIGABRT", plugins: [bombId], stderr: expect.stringMatching(/heap|memory/i) }));
    expect(pings.ok).toBeGreaterThan(pingsBefore);
  });
});

describe("what leaves the sandbox", () => {
  it.each<[string, string, Partial<Attempt>]>([
    ["a function", "return () => 'pwned';", { outcome: "ok", value: null }],
    ["an object full of functions and symbols", "return { f() {}, [Symbol('s')]: 1, n: 1, u: undefined };", { outcome: "ok", value: { n: 1 } }],
    ["a Proxy whose traps throw", "return new Proxy({}, { ownKeys() { throw new Error('trap'); } });", { outcome: "error", error: { code: "INVALID_RESULT", name: "TypeError", message: "The result is not JSON data: trap" } }],
    ["a getter that throws", "return { get x() { throw new Error('getter'); } };", { outcome: "error", error: { code: "INVALID_RESULT", name: "TypeError", message: "The result is not JSON data: getter" } }],
    ["2 MB of output", "return 'x'.repeat(2_000_000);", { outcome: "error", error: { code: "OUTPUT_TOO_LARGE", name: "RangeError", message: expect.stringContaining("at most 1000000 may leave the sandbox") } }],
  ])("returns %s", async (_name, body, expected) => {
    const result = await attempt(body);
    expect(result).toMatchObject(expected);
    expect(typeof result.value).not.toBe("function");
  });

  it("sends 2 MB of arguments to the host: refused before they leave", async () => {
    const result = await attempt("try { await crm.log.info('x'.repeat(2_000_000)); } catch (e) { return e.code; }");
    expect(result).toMatchObject({ outcome: "ok", value: "ARGUMENT_TOO_LARGE" });
    expect(result.calls).toEqual([]);
  });

  it.each<[string, string]>([
    ["a number", "42"],
    ["null", "null"],
    ["undefined", "undefined"],
    ["a symbol", "Symbol('s')"],
    ["an object without a prototype", "Object.create(null)"],
    ["a Proxy whose every read throws", "new Proxy({}, { get() { throw new Error('no'); } })"],
  ])("throws %s: an error with a readable message", async (_name, value) => {
    const result = await attempt(`throw ${value};`);
    expect(result).toMatchObject({ outcome: "error", error: { code: "PLUGIN_ERROR" } });
    expect(typeof result.error?.message).toBe("string");
  });
});

describe("counted budgets", () => {
  it.each<[keyof typeof budgets, string]>([
    ["hostCalls", "for (;;) await crm.log.info('x');"],
    ["rowsRead", "for (;;) await crm.records.find('account', {});"],
    ["rowsWritten", "for (;;) await crm.records.create('account', { name: 'x' });"],
    ["outboundRequests", "for (;;) await crm.http.fetch('https://api.example.com/');"],
  ])("ends the invocation when %s runs out, even if the plugin catches the error", async (budget, loop) => {
    const result = await attempt(`try { ${loop} } catch (e) { try { await crm.log.info('after'); } catch (again) { return 'caught ' + e.message; } }`);
    expect(result).toMatchObject({ outcome: "budget_exceeded", budget, error: { code: "BUDGET_EXCEEDED", message: expect.stringContaining(budget) } });
    expect(result.calls.some((c) => c.args[1] === "after")).toBe(false);
  });
});

describe("throughout", () => {
  it("no plugin reached a canary, and this process kept answering", () => {
    const everything = transcript.join("\n");
    expect(transcript.length).toBeGreaterThan(60);
    expect(everything).not.toContain(ENV_SECRET);
    expect(everything).not.toContain(FILE_SECRET);
    expect(tcpConnections).toBe(0);
    expect(pings.failed).toBe(0);
    expect(pings.ok).toBeGreaterThan(20);
    expect(longestTickGapMs).toBeLessThan(1000);
  });
});
