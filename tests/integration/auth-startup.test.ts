import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger, createRuntime, loadConfig } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { startRuntimeProcess } from "./support/start-process.ts";

function start(env: Record<string, string>) {
  return startRuntimeProcess({ LOG_LEVEL: "warn", ...env }).then((p) => ({ ...p, get output() {
    return p.output();
  } }));
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const signIn = (url: string, email: string, password: string) =>
  fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });

describe("first start creates the admin", () => {
  let dataDir = "";
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("prints a generated password once, which signs in; a restart prints nothing secret", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "crm-admin-"));
    const first = await start({ DATA_DIR: dataDir });
    const match = /Sign in as admin@localhost with password (\S+)/.exec(first.output);
    expect(match, first.output).not.toBeNull();
    const password = match![1]!;
    expect(password).toMatch(/^\w{20}$/);
    expect((await signIn(first.url, "admin@localhost", password)).status).toBe(200);
    expect((await signIn(first.url, "admin@localhost", "wrong-password")).status).toBe(401);
    await stop(first.child);

    const second = await start({ DATA_DIR: dataDir });
    expect(second.output).not.toContain("Sign in as");
    expect(second.output).not.toContain(password);
    expect((await signIn(second.url, "admin@localhost", password)).status).toBe(200);
    await stop(second.child);
  });

  it("uses ADMIN_EMAIL and ADMIN_PASSWORD when given, and never prints the password", async () => {
    const started = await start({ DATA_DIR: ":memory:", ADMIN_EMAIL: "owner@example.test", ADMIN_PASSWORD: "owner-password-123" });
    expect(started.output).toContain("Sign in as owner@example.test with the password from ADMIN_PASSWORD");
    expect(started.output).not.toContain("owner-password-123");
    const res = await signIn(started.url, "owner@example.test", "owner-password-123");
    expect(res.status).toBe(200);
    await stop(started.child);
  });

  it("refuses a too short ADMIN_PASSWORD as a configuration error", () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: "short" })).toThrow("ADMIN_PASSWORD");
  });
});

describe.each(databaseTargets.filter((t) => t.name === "postgres"))("two processes starting at once on $name", (target) => {
  it("create exactly one first admin", async () => {
    const database = await target.create();
    const config = loadConfig({ DATABASE_URL: database.url!, LOG_LEVEL: "silent" });
    const runtimes = await Promise.all([0, 1, 2].map(() => createRuntime(config, { logger: createLogger("silent"), seed: false })));
    try {
      expect(runtimes.filter((r) => r.adminBootstrap?.generatedPassword)).toHaveLength(1);
      const [count] = await runtimes[0]!.db.query<{ users: number; roles: number }>(`select (select count(*) from users)::int as users, (select count(*) from roles)::int as roles`);
      expect(count).toEqual({ users: 1, roles: 4 });
    } finally {
      for (const runtime of runtimes) await runtime.close();
      await database.drop();
    }
  });
});
