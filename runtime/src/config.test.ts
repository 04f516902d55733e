import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("has working defaults: port 3000, embedded database under data/", () => {
    const config = loadConfig({}, "/somewhere");
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, logLevel: "info", dbPoolSize: 10 });
    expect(config.dataDir).toMatch(/[/\\]data$/);
  });

  it("reads every variable", () => {
    const config = loadConfig({ PORT: "8080", DATABASE_URL: "postgres://x/y", DATA_DIR: "store", LOG_LEVEL: "debug", DB_POOL_SIZE: "3" }, "/srv");
    expect(config).toMatchObject({ port: 8080, databaseUrl: "postgres://x/y", dataDir: "/srv/store", logLevel: "debug", dbPoolSize: 3 });
    expect(loadConfig({ DATA_DIR: ":memory:" }).dataDir).toBe(":memory:");
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ DB_POOL_SIZE: "0" }, "DB_POOL_SIZE"],
  ])("refuses %j naming the variable", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
