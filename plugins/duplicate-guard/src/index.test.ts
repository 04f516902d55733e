import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { buildPlugin, hookInputs, withHarness } from "@crm/plugin-sdk/testing";
import type { Harness } from "@crm/plugin-sdk/testing";

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const manifest = at("../plugin.json");
const code = await buildPlugin({ entry: at("./index.ts") });

const records = {
  account: [
    { id: "a1", name: "ACME Corporation", phone: "+1 (555) 123-4567", status: "active" },
    { id: "a2", name: "Globex", phone: "020 7946 0018", status: "active" },
  ],
  contact: [
    { id: "c1", firstName: "Ada", lastName: "Lovelace", email: "Ada.Lovelace@Example.com", account: "a1" },
    { id: "c2", firstName: "Grace", lastName: "Hopper", mobile: "+44 7700 900123", account: "a2" },
  ],
};

const run = <T>(settings: object, use: (h: Harness) => Promise<T>) => withHarness({ manifest, code, records, settings: settings as never }, use);

describe("duplicate-guard plugin", () => {
  it("rejects an account whose normalised name matches, with a field message", async () => {
    const result = await run({}, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("account", { name: "Acme, Inc.", status: "prospect" })));
    expect(result.value).toEqual({
      reject: { message: "This account looks like a duplicate of ACME Corporation (account a1).", fields: { name: "ACME Corporation (a1) has the same name." } },
    });
  });

  it("rejects an account with the same phone written differently", async () => {
    const result = await run({}, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("account", { name: "Totally New", phone: "555.123.4567" })));
    expect(result.value).toMatchObject({ reject: { fields: { phone: expect.any(String) } } });
  });

  it("rejects a contact by email (case-insensitive) and by mobile against a stored mobile", async () => {
    const email = await run({}, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("contact", { lastName: "King", email: " ada.lovelace@EXAMPLE.com" })));
    expect(email.value).toMatchObject({ reject: { message: "This contact looks like a duplicate of Ada Lovelace (contact c1).", fields: { email: "Ada Lovelace (c1) has the same email." } } });
    const mobile = await run({}, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("contact", { lastName: "Other", mobile: "07700 900123" })));
    expect(mobile.value).toMatchObject({ reject: { fields: { mobile: expect.any(String) } } });
  });

  it("lets through what only looks alike: same last name elsewhere, other numbers", async () => {
    const result = await run({}, async (h) => [
      await h.hook("beforeCreate", hookInputs.beforeCreate("contact", { firstName: "Ada", lastName: "Lovelace", account: "a2" })),
      await h.hook("beforeCreate", hookInputs.beforeCreate("account", { name: "Acme Rockets", phone: "+1 555 123 4568" })),
    ]);
    expect(result.map((r) => [r.outcome, r.value])).toEqual([["ok", null], ["ok", null]]);
  });

  it("matches a full name at the same account", async () => {
    const result = await run({}, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("contact", { firstName: "ada", lastName: "LOVELACE", account: "a1" })));
    expect(result.value).toEqual({ reject: { message: "This contact looks like a duplicate of Ada Lovelace (contact c1).", fields: { lastName: "Ada Lovelace (c1) has the same name." } } });
  });

  it("checks updates against everyone but the record itself, and only when watched fields change", async () => {
    const before = { ...records.account[0], createdAt: "", updatedAt: "", version: 1 };
    const result = await run({}, async (h) => [
      await h.hook("beforeUpdate", hookInputs.beforeUpdate("account", before, { name: "Acme Corp" })),
      await h.hook("beforeUpdate", hookInputs.beforeUpdate("account", before, { name: "Globex Ltd" })),
      await h.hook("beforeUpdate", hookInputs.beforeUpdate("account", before, { status: "dormant" })),
    ]);
    expect(result[0]!.value).toBeNull();
    expect(result[1]!.value).toMatchObject({ reject: { message: "This account looks like a duplicate of Globex (account a2)." } });
    expect(result[2]!.usage.hostCalls).toBe(0);
  });

  it("links instead of rejecting when configured: the link field, and the duplicate's account for contacts", async () => {
    const settings = { mode: "link", linkField: "duplicateOf" };
    const { result, logs } = await run(settings, async (h) => ({
      result: await h.hook("beforeCreate", hookInputs.beforeCreate("contact", { lastName: "Byron", email: "ada.lovelace@example.com" })),
      logs: h.logs,
    }));
    expect(result.value).toEqual({ changes: { duplicateOf: "c1", account: "a1" } });
    expect(logs).toEqual([{ level: "info", message: "Linked a contact to its duplicate c1.", data: { duplicate: "c1", fields: ["email"] } }]);
  });

  it("matches only on the configured criteria", async () => {
    const result = await run({ matchOn: ["email"] }, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("account", { name: "Acme Inc", phone: "5551234567" })));
    expect(result).toMatchObject({ outcome: "ok", value: null, usage: { rowsRead: 0 } });
  });
});
