import { mkdir, writeFile, access } from "node:fs/promises";
import { basename, join } from "node:path";

/**
 * Write a new plugin folder: package.json, plugin.json (a beforeCreate hook on `account`),
 * src/index.ts and a test through the offline harness that passes as generated.
 * @example await scaffoldPlugin("plugins/vip-flag") // ["plugins/vip-flag/package.json", …]
 */
export async function scaffoldPlugin(dir: string): Promise<string[]> {
  const id = basename(dir);
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id)) throw new Error(`"${id}" is not a plugin id: use kebab-case, e.g. vip-flag.`);
  const exists = await access(dir).then(() => true, () => false);
  if (exists) throw new Error(`${dir} already exists.`);
  const files: Record<string, string> = {
    "package.json": json({ name: `@crm-plugins/${id}`, version: "0.1.0", private: true, type: "module", scripts: { build: "crm-plugin build", test: "crm-plugin test" }, dependencies: { "@crm/plugin-sdk": "workspace:*" } }),
    "plugin.json": json({
      id,
      version: "0.1.0",
      engine: "^0.1.0",
      name: id,
      description: "Trims account names before they are saved.",
      capabilities: { records: { read: ["account"] } },
      budgets: { cpuMs: 50, hostCalls: 10 },
      hooks: { beforeCreate: { entities: ["account"] } },
    }),
    "src/index.ts": `import { definePlugin } from "@crm/plugin-sdk";

export default definePlugin({
  hooks: {
    async beforeCreate({ entity, record }) {
      if (entity !== "account" || typeof record.name !== "string") return;
      const name = record.name.trim().replace(/\\s+/g, " ");
      if (name === "") return { reject: { message: "An account needs a name.", fields: { name: "Enter a name." } } };
      return { changes: { name } };
    },
  },
});
`,
    "src/index.test.ts": `import { afterAll, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { createHarness, hookInputs } from "@crm/plugin-sdk/testing";

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const harness = await createHarness({ manifest: at("../plugin.json"), entry: at("./index.ts") });
afterAll(() => harness.dispose());

it("trims the account name", async () => {
  const result = await harness.hook("beforeCreate", hookInputs.beforeCreate("account", { name: "  Acme   Inc " }));
  expect(result).toMatchObject({ outcome: "ok", value: { changes: { name: "Acme Inc" } } });
});

it("rejects a blank name with a field message", async () => {
  const result = await harness.hook("beforeCreate", hookInputs.beforeCreate("account", { name: "   " }));
  expect(result.value).toEqual({ reject: { message: "An account needs a name.", fields: { name: "Enter a name." } } });
});
`,
  };
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
