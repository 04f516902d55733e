import { afterAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateManifest } from "@crm/core";
import { createHarness } from "../testing/create-harness.ts";
import { parseArgs } from "./parse-args.ts";
import { resolveTarget } from "./plugin-client.ts";
import { runCommand } from "./run-command.ts";

const root = await mkdtemp(join(tmpdir(), "crm-plugin-cli-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const run = (...argv: string[]) => runCommand(parseArgs(argv), {}, root);

describe("crm-plugin", () => {
  it("creates a plugin whose bundle builds and behaves as its generated test says", async () => {
    await run("create", "vip-flag");
    const dir = join(root, "vip-flag");
    const manifest = JSON.parse(await readFile(join(dir, "plugin.json"), "utf8"));
    expect(validateManifest(manifest).ok).toBe(true);
    expect(await readFile(join(dir, "src/index.test.ts"), "utf8")).toContain("createHarness");

    const [line] = await run("build", "--dir", "vip-flag");
    expect(line).toMatch(/^built vip-flag@0\.1\.0 → .*dist\/plugin\.js/);
    const code = await readFile(join(dir, "dist/plugin.js"), "utf8");
    expect(code).not.toMatch(/\bimport\b|\brequire\(/);

    const harness = await createHarness({ manifest, code });
    const trimmed = await harness.hook("beforeCreate", { entity: "account", record: { name: "  Acme   Inc " } });
    const blank = await harness.hook("beforeCreate", { entity: "account", record: { name: " " } });
    harness.dispose();
    expect(trimmed.value).toEqual({ changes: { name: "Acme Inc" } });
    expect(blank.value).toMatchObject({ reject: { fields: { name: "Enter a name." } } });
  });

  it("refuses to scaffold over an existing folder or with a bad id", async () => {
    await run("create", "twice");
    await expect(run("create", "twice")).rejects.toThrow(/already exists/);
    await expect(run("create", "Bad_Name")).rejects.toThrow(/not a plugin id/);
  });

  it("writes entity types from definition files", async () => {
    const [line] = await run("types", "--from", join(import.meta.dirname, "../../../../schemas/crm"), "--out", "entities.ts");
    expect(line).toMatch(/\(9 entities\)$/);
    expect(await readFile(join(root, "entities.ts"), "utf8")).toContain("  lead: Lead;");
  });

  it("names what is missing to reach a server", () => {
    expect(() => resolveTarget({}, {})).toThrow("Missing --url (or CRM_URL) and --token (or CRM_TOKEN)");
    expect(resolveTarget({ url: "http://x" }, { CRM_TOKEN: "t" })).toEqual({ url: "http://x", token: "t" });
  });

  it("parses flags and rejects unknown commands with the usage", async () => {
    expect(parseArgs(["types", "--out=a.ts", "--minify", "x"])).toEqual({ command: "types", positional: ["x"], flags: { out: "a.ts", minify: true } });
    await expect(run("frobnicate")).rejects.toThrow(/Unknown command "frobnicate"/);
  });
});
