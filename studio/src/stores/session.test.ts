import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it } from "vitest";
import { account } from "../test-entities.ts";
import { useSessionStore } from "./session.ts";


describe("session store", () => {
  beforeEach(() => setActivePinia(createPinia()));

  it("answers from what the server said the caller may read and write", () => {
    const session = useSessionStore();
    expect(session.signedIn).toBe(false);
    session.user = { id: "u1", email: "rep@example.test", name: "Rep" };
    session.permissions = {
      userId: "u1",
      admin: false,
      entities: { account: { read: "team", update: "own", delete: "own", create: true, import: false, export: false, transfer: false, fields: { name: "write", revenue: "read" } } },
    };
    session.entities = [{ version: 3, definition: account }];
    expect(session.signedIn).toBe(true);
    expect(session.isAdmin).toBe(false);
    expect(session.definitions.map((d) => d.key)).toEqual(["account"]);
    expect(session.definition("account")).toBe(account);
    expect(session.definition("lead")).toBeUndefined();
    expect(session.canWrite("account", "name")).toBe(true);
    expect(session.canWrite("account", "revenue")).toBe(false);
    expect(session.canWrite("lead", "name")).toBe(false);
    session.clear();
    expect(session.signedIn).toBe(false);
    expect(session.definitions).toEqual([]);
  });
});
