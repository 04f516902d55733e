import { spawn, spawnSync } from "node:child_process";
import { PGlite } from "@electric-sql/pglite";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exited, runtimeDir, startRuntimeProcess } from "./support/start-process.ts";

const start = startRuntimeProcess;
const stopped = exited;
const ADMIN = { ADMIN_EMAIL: "boss@example.test", ADMIN_PASSWORD: "startup-test-password" };

/** Sign in over HTTP (the first admin by default); the session cookie for later reads. */
async function adminCookie(url: string, email: string = ADMIN.ADMIN_EMAIL, password: string = ADMIN.ADMIN_PASSWORD): Promise<Record<string, string>> {
  const response = await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  expect(response.status).toBe(200);
  return { cookie: response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ") };
}

/** `total` of a counted list as the signed-in user. */
async function visibleTotal(url: string, entity: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${url}/api/records/${entity}?count=true&limit=1`, { headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

describe("starting the runtime on the embedded database", () => {
  let dataDir = "";
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("loads the shipped CRM on first start, keeps it across restarts, and stops cleanly on SIGTERM", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "crm-start-"));
    const first = await start({ DATA_DIR: dataDir, ...ADMIN });
    const health = await (await fetch(`${first.url}/api/health`)).json();
    expect(health).toEqual({ status: "ok", database: "pglite" });
    const entities = (await (await fetch(`${first.url}/api/meta/entities`, { headers: await adminCookie(first.url) })).json()) as { items: Array<{ key: string; version: number }> };
    expect(entities.items.map((e) => e.key)).toEqual(expect.arrayContaining(["account", "contact", "lead", "opportunity", "activity", "campaign", "campaignMember", "serviceCase", "product"]));
    expect(first.output()).toMatch(/"msg":"CRM runtime listening"/);
    const exit = stopped(first.child);
    first.child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    // The demo data loads into the stopped database, deterministically and only once.
    const demo = () => spawnSync(process.execPath, ["scripts/load-demo.ts"], { cwd: runtimeDir, env: { ...process.env, DATA_DIR: dataDir }, encoding: "utf8" });
    const loaded = demo();
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/\[100%\]/);
    expect(loaded.stdout).toContain("account: 300 of 300 records inserted");
    const again = demo();
    expect(again.stdout).toContain("account: 0 of 300 records inserted");

    const second = await start({ DATA_DIR: dataDir, ...ADMIN });
    const restarted = (await (await fetch(`${second.url}/api/meta/entities`, { headers: await adminCookie(second.url) })).json()) as { items: Array<{ key: string; version: number }> };
    expect(restarted.items).toEqual(entities.items);
    // The demo organisation signs in with its shipped roles and sees what its scopes reach: a rep
    // their team's accounts (two reps of four), the manager the whole sales subtree, finance everything.
    const demoUser = (email: string) => adminCookie(second.url, email, "demo-password");
    expect(loaded.stdout).toContain("eli.east@demo.test");
    expect(await visibleTotal(second.url, "account", await demoUser("eli.east@demo.test"))).toBe(150);
    expect(await visibleTotal(second.url, "account", await demoUser("erin.east@demo.test"))).toBe(75);
    expect(await visibleTotal(second.url, "account", await demoUser("maria.manager@demo.test"))).toBe(300);
    expect(await visibleTotal(second.url, "account", await demoUser("fay.finance@demo.test"))).toBe(300);
    // While the server holds the embedded database, a second process is refused clearly.
    const blocked = demo();
    expect(blocked.status).toBe(3);
    expect(blocked.stderr).toContain("in use by process");
    expect(second.output()).not.toContain("loaded the shipped CRM");
    const exit2 = stopped(second.child);
    second.child.kill("SIGINT");
    expect(await exit2).toBe(0);
    const pg = await PGlite.create({ dataDir });
    const counts = await pg.query<{ n: number }>(`select count(*)::int as n from data."account"`);
    expect(counts.rows[0]!.n).toBe(300);
    await pg.close();
  });

  it("refuses a bad configuration with a clear message", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], { cwd: runtimeDir, env: { ...process.env, PORT: "not-a-port" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    expect(await stopped(child)).toBe(2);
    expect(output).toContain("PORT must be an integer");
  });
});
