import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** A database a contract suite runs against: PGlite always, real PostgreSQL when TEST_DATABASE_URL is set. */
export interface DatabaseTarget {
  name: "pglite" | "postgres";
  /** A fresh, empty database: a PostgreSQL URL (undefined for in-memory PGlite) and how to drop it. */
  create(): Promise<{ url: string | undefined; drop(): Promise<void> }>;
}

export const pgliteTarget: DatabaseTarget = {
  name: "pglite",
  create: async () => ({ url: undefined, drop: async () => {} }),
};

export function postgresTarget(baseUrl: string): DatabaseTarget {
  return {
    name: "postgres",
    async create() {
      const name = `crm_test_${randomBytes(6).toString("hex")}`;
      const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      await admin.end();
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async drop() {
          const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
          await sql.unsafe(`drop database if exists "${name}" with (force)`);
          await sql.end();
        },
      };
    },
  };
}

/** Every database target of this run. */
export const databaseTargets: DatabaseTarget[] = process.env.TEST_DATABASE_URL
  ? [pgliteTarget, postgresTarget(process.env.TEST_DATABASE_URL)]
  : [pgliteTarget];

/**
 * The PostgreSQL-only suites' targets: the real server when TEST_DATABASE_URL is set, else one stand-in
 * so that `describe.runIf(…).each(…)` still registers a (skipped) suite instead of an empty file.
 */
export const postgresOnly: { run: boolean; targets: DatabaseTarget[] } = (() => {
  const targets = databaseTargets.filter((t) => t.name === "postgres");
  const standIn: DatabaseTarget = {
    name: "postgres",
    create: () => Promise.reject(new Error("TEST_DATABASE_URL is not set")),
  };
  return { run: targets.length > 0, targets: targets.length ? targets : [standIn] };
})();
