import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";

const root = mkdtempSync(join(tmpdir(), "crm-studio-"));
mkdirSync(join(root, "assets"));
writeFileSync(join(root, "index.html"), "<!doctype html><title>studio shell</title>");
writeFileSync(join(root, "assets", "app-abc123.js"), "console.log('app')");
writeFileSync(join(root, "favicon.svg"), "<svg/>");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(databaseTargets)("the runtime serves the built studio on $name", (target) => {
  const server = useTestServer(target, { env: { STUDIO_DIR: root } });
  const get = (path: string) => fetch(server.url + path);

  it("answers / and every client route with index.html, never cached", async () => {
    for (const path of ["/", "/login", "/records/account", "/records/account/0b8e3c3e-1f7a-4b7e-9a51-6a1e0f3c2d10"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
      expect(await res.text(), path).toContain("studio shell");
    }
  });

  it("serves hashed assets with a long cache, and other files as they are", async () => {
    const asset = await get("/assets/app-abc123.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await asset.text()).toContain("console.log");
    expect((await get("/favicon.svg")).status).toBe(200);
  });

  it("answers 404 for a missing file, not the app shell", async () => {
    const res = await get("/assets/missing-123.js");
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("studio shell");
  });

  it("never shadows the API: unknown API paths stay problem+json 404s and API routes still answer", async () => {
    const missing = await get("/api/no-such-route");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    expect((await missing.json()).code).toBe("ROUTE_NOT_FOUND");
    const health = await get("/api/health");
    expect((await health.json()).status).toBe("ok");
    const post = await fetch(server.url + "/records/account", { method: "POST" });
    expect(post.status).toBe(404);
  });
});

describe("without a built studio", () => {
  const server = useTestServer(databaseTargets[0]!, { env: { STUDIO_DIR: join(root, "not-built") } });

  it("says how to build it instead of failing", async () => {
    const res = await fetch(server.url + "/records/account");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("studio is not built");
  });
});
