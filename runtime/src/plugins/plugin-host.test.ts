import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { PluginBundle, SandboxBudgets } from "@crm/plugin-sandbox";
import { createTestHostApi } from "@crm/plugin-sandbox/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginHost } from "./plugin-host.ts";
import type { PluginHost, PluginHostEvent } from "./plugin-host.ts";

const budgets: SandboxBudgets = { cpuMs: 200, memoryMb: 16, hostCalls: 20, rowsRead: 100, rowsWritten: 10, outboundRequests: 1 };
const bundle = (id: string, actions: string, version = "1.0.0"): PluginBundle => ({ id, version, budgets, code: `globalThis.plugin = { actions: { ${actions} } };` });
const action = (name: string) => ({ kind: "action" as const, name, input: { n: 1 } });

const echo = bundle("echo", `async echo(input, crm) { const rows = await crm.records.find("account", {}); await crm.log.info("seen", { rows: rows.length }); return { input, rows: rows.length, now: Date.now() }; },
  async slow(input, crm) { await crm.records.create("account", { name: "slow" }); return "done"; },
  async fail() { throw new Error("always"); },
  async ok() { return "ok"; }`);

describe("plugin host", () => {
  let host: PluginHost;
  const events: PluginHostEvent[] = [];

  beforeAll(async () => {
    host = createPluginHost({ onEvent: (e) => events.push(e), maxConsecutiveFailures: 3, stallGraceMs: 300 });
    await host.load(echo);
  });
  afterAll(() => host.close());

  it("runs plugins in a process of its own", () => {
    expect(host.pid).toBeGreaterThan(0);
    expect(host.pid).not.toBe(process.pid);
  });

  it.runIf(existsSync("/proc/self/environ"))("gives that process nothing of this process's environment", () => {
    const names = readFileSync(`/proc/${host.pid}/environ`, "utf8").split("\0").filter(Boolean).map((entry) => entry.split("=")[0]);
    expect(names.filter((name) => !name?.startsWith("NODE_CHANNEL_"))).toEqual(["PLUGIN_HOST_NICE"]);
    expect(Object.keys(process.env).length).toBeGreaterThan(3);
  });

  it.runIf(existsSync("/proc/self/task"))("runs every thread of that process at a lower priority than this one, so a spinning plugin yields the CPU to the API", async () => {
    await host.invoke("echo", action("ok"), createTestHostApi().api);
    // /proc/<pid>/task/<tid>/stat: the 19th field is the thread's nice value (the command name, in parentheses, comes second).
    const nice = (pid: number, tid: string) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const threads = readdirSync(`/proc/${host.pid}/task`);
    expect(threads.length).toBeGreaterThan(1);
    const own = nice(process.pid, String(process.pid));
    expect(threads.map((tid) => nice(host.pid!, tid))).toEqual(threads.map(() => Math.max(own, 10)));
  });

  it.runIf(existsSync("/proc/self/task"))("takes another nice value when given one", async () => {
    const other = createPluginHost({ nice: 15 });
    try {
      await other.load(echo);
      await other.invoke("echo", action("ok"), createTestHostApi().api);
      const threads = readdirSync(`/proc/${other.pid}/task`);
      const nice = (tid: string) => Number(readFileSync(`/proc/${other.pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
      expect(threads.map(nice)).toEqual(threads.map(() => 15));
    } finally {
      await other.close();
    }
  });

  it("answers the plugin's host calls from the caller's HostApi, over IPC", async () => {
    const { api, calls } = createTestHostApi({ now: 1_700_000_000_000 });
    const result = await host.invoke("echo", action("echo"), api);
    expect(result).toMatchObject({ outcome: "ok", value: { input: { n: 1 }, rows: 3, now: 1_700_000_000_000 }, pluginId: "echo", version: "1.0.0", usage: { hostCalls: 2, rowsRead: 3 } });
    expect(calls).toEqual([
      { method: "records.find", args: ["account", { limit: 101 }] },
      { method: "log", args: ["info", "seen", { rows: 3 }] },
    ]);
  });

  it("refuses a bundle that does not load, with its reason, and keeps the loaded version", async () => {
    await expect(host.load(bundle("echo", "broken(", "2.0.0"))).rejects.toThrow(/Plugin "echo" 2.0.0 did not load: .*Unexpected/);
    await expect(host.load({ ...echo, code: "1 + 1" })).rejects.toThrow("defines no plugin");
  });

  it("keeps one version per plugin: loading another replaces it", async () => {
    await host.load(bundle("versioned", `async which() { return 1; }`, "1.0.0"));
    await host.load(bundle("versioned", `async which() { return 2; }`, "2.0.0"));
    const { api } = createTestHostApi();
    expect(await host.invoke("versioned", action("which"), api)).toMatchObject({ outcome: "ok", value: 2, version: "2.0.0" });
    await host.unload("versioned");
    await expect(host.invoke("versioned", action("which"), api)).rejects.toThrow('Plugin "versioned" is not loaded.');
    expect(host.status("versioned")).toBeUndefined();
  });

  it("ends an invocation at its deadline while the host API is slow", async () => {
    const { api } = createTestHostApi({ delayMs: 1000 });
    const result = await host.invoke("echo", { ...action("slow"), deadline: Date.now() + 150 }, api);
    expect(result).toMatchObject({ outcome: "timeout", limit: "wall", pluginId: "echo" });
    expect(result.durationMs).toBeLessThan(900);
  });

  it("disables a plugin after failures in a row, with the reason, until it is enabled again", async () => {
    const { api, calls } = createTestHostApi();
    const run = (name: string) => host.invoke("echo", action(name), api);
    host.enable("echo");
    for (const name of ["fail", "fail", "ok", "fail", "fail"]) await run(name);
    expect(host.status("echo")).toMatchObject({ enabled: true, consecutiveFailures: 2 });
    expect(await run("fail")).toMatchObject({ outcome: "error" });
    expect(host.status("echo")).toEqual({ id: "echo", version: "1.0.0", enabled: false, consecutiveFailures: 3, disabledReason: "Disabled after 3 failures in a row; the last: error (always)" });
    expect(events).toContainEqual({ type: "disabled", pluginId: "echo", reason: "Disabled after 3 failures in a row; the last: error (always)" });
    const refused = await run("echo");
    expect(refused).toMatchObject({ outcome: "disabled", error: { code: "PLUGIN_DISABLED", message: expect.stringContaining("always") } });
    expect(calls).toEqual([]);
    host.enable("echo");
    expect(await run("echo")).toMatchObject({ outcome: "ok" });
  });

  it("fails in-flight invocations of a killed host naming the plugin, restarts it within 2 s and loads its plugins again", async () => {
    const { api } = createTestHostApi({ delayMs: 400 });
    const before = host.pid;
    const inFlight = host.invoke("echo", action("slow"), api);
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(before as number, "SIGKILL");
    const result = await inFlight;
    expect(result).toMatchObject({ outcome: "crashed", pluginId: "echo", error: { code: "PLUGIN_HOST_CRASHED" } });
    expect(result.error?.message).toBe('Plugin "echo" 1.0.0 failed: the plugin host process stopped (SIGKILL) while it ran.');
    const crashedAt = Date.now();
    const next = await host.invoke("echo", action("echo"), createTestHostApi().api);
    expect(next).toMatchObject({ outcome: "ok", value: { rows: 3 } });
    expect(Date.now() - crashedAt).toBeLessThan(2000);
    expect(host.pid).not.toBe(before);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["crashed", "restarted"]));
    expect(events.find((e) => e.type === "crashed")).toMatchObject({ reason: "SIGKILL", plugins: ["echo"] });
  });

  it("replaces a host that stops answering, once the deadline and its grace have passed", async () => {
    const stuck = host.pid as number;
    process.kill(stuck, "SIGSTOP");
    const result = await host.invoke("echo", { ...action("echo"), deadline: Date.now() + 200 }, createTestHostApi().api);
    expect(result).toMatchObject({ outcome: "timeout", limit: "wall", error: { code: "PLUGIN_HOST_STALLED" } });
    expect(result.durationMs).toBeGreaterThanOrEqual(450);
    expect(await host.invoke("echo", action("echo"), createTestHostApi().api)).toMatchObject({ outcome: "ok" });
    expect(host.pid).not.toBe(stuck);
  });
});

describe("closing the plugin host", () => {
  it("ends the process and the invocations still running", async () => {
    const host = createPluginHost();
    await host.load(echo);
    const pid = host.pid as number;
    const running = host.invoke("echo", action("slow"), createTestHostApi({ delayMs: 2000 }).api);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await host.close();
    expect(await running).toMatchObject({ outcome: "crashed", error: { message: 'Plugin "echo" 1.0.0 failed: the plugin host was closed.' } });
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
