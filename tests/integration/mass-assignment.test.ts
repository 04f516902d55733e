import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { buildOrg, createRole, setRoles, type Org } from "./support/org-fixture.ts";
import { useTestServer } from "./support/test-server.ts";

/**
 * Writes that carry what the caller may not set: system fields, the owner (without transfer), fields
 * the caller may only read or not see, an auto number and a one-to-many relation. Each is refused as a
 * whole, on create, batch create, update and batch update: the status and the pointer are right, and
 * the database (records, related records, history) is exactly as before.
 */
const vault = entity("vault", [
  { key: "title", type: "text", required: true },
  { key: "locked", type: "text" },
  { key: "hidden", type: "text" },
  { key: "amount", type: "integer" },
  { key: "number", type: "autoNumber", prefix: "V-", digits: 4 },
  { key: "entries", type: "relation", relation: "oneToMany", target: "entry", inverse: "vault" },
]);
const entry = entity("entry", [
  { key: "label", type: "text", required: true },
  { key: "vault", type: "relation", relation: "manyToOne", target: "vault", onDelete: "setNull" },
]);

type Operation = "create" | "batch create" | "update" | "batch update";
const OPERATIONS: Operation[] = ["create", "batch create", "update", "batch update"];

interface Case {
  name: string;
  /** Extra keys of the refused write (beside a valid title). */
  values: (ids: { other: string; entry: string }) => Record<string, unknown>;
  status: number;
  /** Issue codes by the key they point at. */
  issues: Record<string, string>;
  /** Whether the admin gets the same answer (the admin may set owners and every field). */
  admin: boolean;
}

const OLD = "2000-01-01T00:00:00.000Z";
const SYSTEM: Case[] = [
  { name: "id", values: () => ({ id: "00000000-0000-4000-8000-000000000042" }), status: 422, issues: { id: "READ_ONLY_FIELD" }, admin: true },
  { name: "createdAt", values: () => ({ createdAt: OLD }), status: 422, issues: { createdAt: "READ_ONLY_FIELD" }, admin: true },
  { name: "updatedAt", values: () => ({ updatedAt: OLD }), status: 422, issues: { updatedAt: "READ_ONLY_FIELD" }, admin: true },
  { name: "createdBy", values: ({ other }) => ({ createdBy: other }), status: 422, issues: { createdBy: "READ_ONLY_FIELD" }, admin: true },
  { name: "updatedBy", values: ({ other }) => ({ updatedBy: other }), status: 422, issues: { updatedBy: "READ_ONLY_FIELD" }, admin: true },
  { name: "version", values: () => ({ version: 99 }), status: 422, issues: { version: "READ_ONLY_FIELD" }, admin: true },
  {
    name: "every system field at once",
    values: ({ other }) => ({ id: "00000000-0000-4000-8000-000000000043", createdAt: OLD, updatedAt: OLD, createdBy: other, updatedBy: other, version: 7 }),
    status: 422,
    issues: { id: "READ_ONLY_FIELD", createdAt: "READ_ONLY_FIELD", updatedAt: "READ_ONLY_FIELD", createdBy: "READ_ONLY_FIELD", updatedBy: "READ_ONLY_FIELD", version: "READ_ONLY_FIELD" },
    admin: true,
  },
];
const CASES: Case[] = [
  ...SYSTEM,
  { name: "an auto number", values: () => ({ number: "V-9999" }), status: 422, issues: { number: "READ_ONLY_FIELD" }, admin: true },
  { name: "a one-to-many relation", values: ({ entry }) => ({ entries: [entry] }), status: 422, issues: { entries: "READ_ONLY_FIELD" }, admin: true },
  { name: "another owner", values: ({ other }) => ({ ownerId: other }), status: 403, issues: { ownerId: "TRANSFER_NOT_ALLOWED" }, admin: false },
  { name: "no owner", values: () => ({ ownerId: null }), status: 403, issues: { ownerId: "TRANSFER_NOT_ALLOWED" }, admin: false },
  { name: "a read-only field", values: () => ({ locked: "forged" }), status: 403, issues: { locked: "FIELD_NOT_WRITABLE" }, admin: false },
  { name: "a hidden field", values: () => ({ hidden: "forged" }), status: 403, issues: { hidden: "FIELD_NOT_WRITABLE" }, admin: false },
  { name: "a read-only and a hidden field", values: () => ({ locked: "forged", hidden: "forged", amount: 5 }), status: 403, issues: { locked: "FIELD_NOT_WRITABLE", hidden: "FIELD_NOT_WRITABLE" }, admin: false },
];

describe.each(databaseTargets)("mass assignment on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;
  let vaultId: string;
  let entryId: string;

  /** Everything a refused write must leave alone, as the database holds it. */
  async function snapshot() {
    const [vaults, entries, history] = await Promise.all([
      server.sql(`select to_jsonb(t) as row from data.vault t order by id`),
      server.sql(`select to_jsonb(t) as row from data.entry t order by id`),
      server.sql<{ n: number }>(`select count(*)::int as n from record_history`),
    ]);
    return { vaults, entries, history: history[0]!.n };
  }

  function request(operation: Operation, values: Record<string, unknown>, headers?: Record<string, string>) {
    const valid = { title: "changed" };
    switch (operation) {
      case "create":
        return server.request("POST", "/api/records/vault", { title: "new", ...values }, headers);
      case "batch create":
        return server.request("POST", "/api/records/vault", [{ title: "new" }, { title: "new", ...values }], headers);
      case "update":
        return server.request("PATCH", `/api/records/vault/${vaultId}`, { ...valid, ...values }, headers);
      case "batch update":
        // The first change is valid: the refused second one must take it down too.
        return server.request("PATCH", "/api/records/vault", [{ id: vaultId, ...valid }, { id: vaultId, ...valid, ...values }], headers);
    }
  }

  /** The pointer of `key` in `operation`'s body. */
  const pointer = (operation: Operation, key: string) => (operation.startsWith("batch") ? `/1/${key}` : `/${key}`);

  beforeAll(async () => {
    org = await buildOrg(server);
    expect((await server.request("POST", "/api/meta/entities", { definitions: [vault, entry] })).status).toBe(201);
    const clerk = await createRole(server, org, "clerk", {
      entities: {
        [vault.id]: { read: "own", update: "own", delete: "own", create: true, fields: { "t-vault-locked": "read", "t-vault-hidden": "none" } },
        [entry.id]: { read: "all", update: "all", create: true },
      },
    });
    await setRoles(server, org.users.owner.id, [clerk]);
    const created = await server.request("POST", "/api/records/vault", { title: "original", locked: "sealed", hidden: "buried", amount: 1, ownerId: org.users.owner.id });
    expect(created.status).toBe(201);
    vaultId = created.body.id;
    entryId = (await server.request("POST", "/api/records/entry", { label: "loose" })).body.id;
  });

  for (const operation of OPERATIONS) {
    it(`${operation}: refuses each protected key as a whole and changes nothing`, async () => {
      const ids = { other: org.users.colleague.id, entry: entryId };
      const callers: Array<[string, Record<string, string> | undefined]> = [
        ["owner's session", org.users.owner.headers],
        ["owner's token", org.tokens.owner.headers],
        ["admin", undefined],
      ];
      for (const [who, headers] of callers) {
        for (const c of CASES.filter((c) => headers || c.admin)) {
          const at = `${operation} by ${who} with ${c.name}`;
          const before = await snapshot();
          const res = await request(operation, c.values(ids), headers);
          // In a batch update, `id` addresses the record and `version` is the expected one.
          if (operation === "batch update" && (c.name === "id" || c.name === "version")) {
            expect(res.status, `${at}: ${JSON.stringify(res.body)}`).toBe(c.name === "id" ? 404 : 412);
          } else {
            expect(res.status, `${at}: ${JSON.stringify(res.body)}`).toBe(c.status);
            expect(res.headers.get("content-type"), at).toContain("application/problem+json");
            expect(res.body.code, at).toBe(c.status === 422 ? "RECORD_INVALID" : "FIELDS_NOT_WRITABLE");
            const keys = Object.keys(c.issues).filter((key) => !(operation === "batch update" && key === "id") && !(operation === "batch update" && key === "version"));
            const issues = (res.body.issues as Array<{ code: string; pointer: string }>).map((i) => [i.pointer, i.code]).sort();
            expect(issues, at).toEqual(keys.map((key) => [pointer(operation, key), c.issues[key]]).sort());
          }
          expect(JSON.stringify(res.body), at).not.toMatch(/sealed|buried/);
          expect(await snapshot(), at).toEqual(before);
        }
      }
    });
  }

  it("refuses keys that would reach an object's prototype", async () => {
    const bodies = [
      `{"title":"new","__proto__":{"locked":"forged","ownerId":"${org.users.colleague.id}"}}`,
      `{"title":"new","constructor":{"prototype":{"locked":"forged"}}}`,
    ];
    for (const body of bodies) {
      for (const [method, path] of [["POST", "/api/records/vault"], ["PATCH", `/api/records/vault/${vaultId}`]] as const) {
        const before = await snapshot();
        const res = await server.request(method, path, body, org.users.owner.headers);
        expect([403, 422], `${method} ${body}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
        expect(await snapshot()).toEqual(before);
        expect(({} as Record<string, unknown>).locked).toBeUndefined();
      }
    }
  });

  it("lets the same writes through without the protected keys (the refusals above are not the route failing)", async () => {
    const before = await snapshot();
    const updated = await server.request("PATCH", `/api/records/vault/${vaultId}`, { title: "changed", amount: 2, ownerId: org.users.owner.id }, org.users.owner.headers);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ title: "changed", amount: 2, locked: "sealed", version: 2, ownerId: org.users.owner.id });
    expect(updated.body).not.toHaveProperty("hidden");
    const batch = await server.request("PATCH", "/api/records/vault", [{ id: vaultId, version: 2, title: "again" }], org.users.owner.headers);
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    const created = await server.request("POST", "/api/records/vault", [{ title: "mine" }], org.users.owner.headers);
    expect(created.status).toBe(201);
    expect(created.body.items[0]).toMatchObject({ ownerId: org.users.owner.id, createdBy: org.users.owner.id, version: 1, locked: null });
    expect(created.body.items[0].number).toMatch(/^V-\d{4}$/);
    const after = await snapshot();
    expect(after.history).toBe(before.history + 3);
    const [row] = await server.sql<{ title: string; hidden: string; locked: string }>(`select title, hidden, locked from data.vault where id = $1`, [vaultId]);
    expect(row).toEqual({ title: "again", hidden: "buried", locked: "sealed" });
  });
});
