import type { EntityDefinition } from "@crm/core";
import { describe, expect, it } from "vitest";
import { dealWith } from "../test-entities.ts";
import { fieldErrors } from "./field-errors.ts";
import { formValues, writeBody } from "./record-values.ts";

const deal = dealWith("title", "number", "tags", "account", "lines", "contacts");

describe("form values and write bodies", () => {
  it("edits relations as ids and leaves computed fields out", () => {
    const values = formValues(deal, { title: "Big", number: "D-1", account: { id: "a1", name: "Acme" }, contacts: [{ id: "c1" }, { id: "c2" }] });
    expect(values).toEqual({ title: "Big", tags: null, account: "a1", contacts: ["c1", "c2"] });
  });

  it("starts a new record from the fields' defaults", () => {
    const withDefaults: EntityDefinition = {
      ...deal,
      fields: [
        { id: "f-stage", key: "stage", type: "select", label: { en: "Stage" }, options: [{ key: "new", label: { en: "New" } }], default: "new" },
        { id: "f-on", key: "on", type: "date", label: { en: "On" }, default: "now" },
      ],
    };
    expect(formValues(withDefaults)).toEqual({ stage: "new", on: null });
    expect(formValues(withDefaults, {})).toEqual({ stage: null, on: null });
  });

  it("sends every entered value of a new record", () => {
    expect(writeBody(deal, { title: "Big", tags: [], account: null, contacts: ["c1"] })).toEqual({ title: "Big", contacts: ["c1"] });
  });

  it("sends only changes of an update, cleared values as null or an empty list", () => {
    const original = formValues(deal, { title: "Big", tags: ["x"], account: { id: "a1" }, contacts: ["c1"] });
    const edited = { ...original, title: "Bigger", tags: [], account: "a1", contacts: [] };
    expect(writeBody(deal, edited, original)).toEqual({ title: "Bigger", tags: [], contacts: [] });
    expect(writeBody(deal, { ...original, title: "" }, original)).toEqual({ title: null });
    expect(writeBody(deal, original, original)).toEqual({});
  });
});

describe("issues onto fields", () => {
  it("maps each pointer's first token to its field, the rest to the form", () => {
    const mapped = fieldErrors(
      [
        { code: "TOO_SHORT", pointer: "/title", message: "Title is empty" },
        { code: "X", pointer: "/title", message: "second" },
        { code: "CURRENCY", pointer: "/amount/currency", message: "Bad code" },
        { code: "NOPE", pointer: "", message: "Whole record" },
        { code: "NOPE", pointer: "/a~1b", message: "escaped" },
      ],
      ["title", "amount", "a/b"],
    );
    expect(mapped.byField).toEqual({ title: "Title is empty", amount: "Bad code", "a/b": "escaped" });
    expect(mapped.general).toEqual(["Whole record"]);
  });
});
