import { afterAll, beforeAll } from "vitest";
import { createApiToken, createLogger, loadConfig, startServer } from "@crm/runtime";
import type { DatabaseTarget } from "./databases.ts";

/** The first admin of every test server (override with `env`); `loginAsAdmin` signs in with it. */
export const TEST_ADMIN = { email: "admin@example.test", password: "admin-password-for-tests" } as const;

/** Headers of a request with no credentials: `request` otherwise acts as the first admin. */
export const ANONYMOUS: Readonly<Record<string, string>> = Object.freeze({ authorization: "" });

export interface TestServer {
  url: string;
  /** The PostgreSQL URL of this suite's own database (undefined on PGlite). */
  databaseUrl: string | undefined;
  runtime: Awaited<ReturnType<typeof startServer>>["runtime"];
  /** The first admin's user id and an API token of theirs (what `request` sends unless told otherwise). */
  admin: { userId: string; token: string };
  /**
   * Real HTTP against the running server; JSON in, JSON (or problem+json) out. Acts as the first admin
   * (Bearer token) unless `headers` carry their own `authorization` or `cookie`; pass `ANONYMOUS` for none.
   */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  /** Raw SQL on the server's own database (for assertions on live tables). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Start a real runtime on a fresh database for the enclosing suite, served over HTTP on a free port.
 * `seed: false` starts without the shipped CRM; `clock` is the workflow engine's time (a virtual clock the test moves).
 */
export function useTestServer(target: DatabaseTarget, options: { seed?: boolean; env?: Record<string, string>; clock?: { now(): Date } } = {}): TestServer {
  let stop: (() => Promise<void>) | undefined;
  const handle = {} as TestServer;
  beforeAll(async () => {
    const database = await target.create();
    const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: ":memory:", ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password, ...(database.url ? { DATABASE_URL: database.url } : {}), ...options.env });
    const server = await startServerNoSeedOrSeed(config, options.seed ?? true, options.clock);
    handle.url = server.url;
    handle.databaseUrl = database.url;
    handle.runtime = server.runtime;
    const [admin] = await server.runtime.db.query<{ id: string }>(`select id from users where lower(email) = lower($1)`, [config.auth.adminEmail]);
    if (admin) {
      const { token } = await createApiToken(server.runtime.db, { name: "test suite", userId: admin.id, roleId: null, createdBy: admin.id, expiresAt: null });
      handle.admin = { userId: admin.id, token };
    }
    handle.request = async (method, path, body, given = {}) => {
      const own = "authorization" in given || "cookie" in given;
      const headers: Record<string, string> = own ? { ...given } : { ...given, authorization: `Bearer ${handle.admin?.token}` };
      if (headers.authorization === "") delete headers.authorization;
      const response = await fetch(server.url + path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    };
    handle.sql = (text, params = []) => server.runtime.db.query(text, params);
    stop = async () => {
      await server.close();
      await database.drop();
    };
  });
  afterAll(async () => {
    await stop?.();
  });
  return handle;
}

async function startServerNoSeedOrSeed(config: ReturnType<typeof loadConfig>, seed: boolean, clock: { now(): Date } | undefined) {
  return startServer(config, { logger: createLogger((process.env.TEST_LOG_LEVEL as "silent" | undefined) ?? "silent"), seed, ...(clock ? { workflows: { clock } } : {}) });
}
