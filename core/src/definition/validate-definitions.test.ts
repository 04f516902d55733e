import { describe, expect, it } from "vitest";
import { validateDefinitions } from "./validate-definitions.ts";

const L = (en: string) => ({ en });
const name = (id: string) => ({ id, key: "name", type: "text", label: L("Name") });

function account(extra: unknown[] = []) {
  return {
    id: "account",
    key: "account",
    label: L("Account"),
    fields: [
      name("a-name"),
      { id: "a-contacts", key: "contacts", type: "relation", relation: "oneToMany", target: "contact", inverse: "account", label: L("Contacts") },
      ...extra,
    ],
  };
}
function contact(extra: unknown[] = []) {
  return {
    id: "contact",
    key: "contact",
    label: L("Contact"),
    fields: [
      name("c-name"),
      { id: "c-account", key: "account", type: "relation", relation: "manyToOne", target: "account", onDelete: "cascade", label: L("Account") },
      ...extra,
    ],
  };
}

describe("validateDefinitions", () => {
  it("accepts entities that reference each other", () => {
    const result = validateDefinitions([account(), contact()]);
    expect(result.ok).toBe(true);
  });

  const cases: Array<[string, unknown[], string, string]> = [
    ["a target missing from the set", [account()], "UNKNOWN_TARGET", "/0/fields/1/target"],
    ["an inverse missing on the target", [account(), { ...contact(), fields: [name("c-name")] }], "UNKNOWN_INVERSE", "/0/fields/1/inverse"],
    ["a problem in the second definition", [account(), contact([{ id: "c-x", key: "user", type: "text", label: L("User") }])], "RESERVED_NAME", "/1/fields/2/key"],
    ["two entities with one key", [account(), contact(), { ...contact(), id: "contact2" }], "DUPLICATE_KEY", "/2/key"],
    ["an entity key starting uppercase", [account(), contact(), { ...contact(), id: "contact2", key: "Contact", fields: [] }], "INVALID_KEY", "/2/key"],
    ["two entities with one id", [account(), contact(), { ...contact(), key: "person" }], "DUPLICATE_ID", "/2/id"],
  ];

  it.each(cases)("refuses %s", (_name, inputs, code, pointer) => {
    const result = validateDefinitions(inputs);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({ code, pointer, message: expect.any(String) });
  });

  it("compares entity keys ignoring case", () => {
    const lower = { ...contact(), id: "contact2", key: "contactX", fields: [] };
    const upper = { ...contact(), id: "contact3", key: "contactx", fields: [] };
    const result = validateDefinitions([account(), contact(), lower, upper]);
    expect(result).toMatchObject({ ok: false, issues: [{ code: "DUPLICATE_KEY", pointer: "/3/key" }] });
  });

  it("refuses a value that is not a list", () => {
    expect(validateDefinitions({} as unknown as unknown[])).toMatchObject({ ok: false, issues: [{ code: "INVALID_TYPE", pointer: "" }] });
  });
});
