import { beforeAll, describe, expect, it } from "vitest";
import type { RolePermissions, Scope } from "@crm/core";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { login } from "./support/login.ts";
import { bearer, buildOrg, createRole, ORG_PLAN, setPermissions, setRoles, type Org, type OrgUserKey } from "./support/org-fixture.ts";
import { ANONYMOUS, useTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Every record operation × read/update/delete scope × kind of caller, against an oracle worked out
 * from ORG_PLAN alone: the exact records each caller sees or changes, and nothing else in the database.
 * `gadget` is the entity under test; `pin` (manyToOne → gadget) and `shelf` (oneToMany ← gadget)
 * reach it through expand and relation paths.
 */
const shelf = entity("shelf", [
  { key: "name", type: "text", required: true },
  { key: "gadgets", type: "relation", relation: "oneToMany", target: "gadget", inverse: "shelf" },
]);
const gadget = entity("gadget", [
  { key: "title", type: "text", required: true },
  { key: "secret", type: "text" },
  { key: "score", type: "integer" },
  { key: "shelf", type: "relation", relation: "manyToOne", target: "shelf", onDelete: "setNull" },
]);
const pin = entity("pin", [
  { key: "label", type: "text", required: true },
  { key: "gadget", type: "relation", relation: "manyToOne", target: "gadget", onDelete: "setNull" },
]);
const FIELD = { secret: "t-gadget-secret", score: "t-gadget-score" };

const SCOPES = ["own", "team", "department", "subtree", "all", "none"] as const satisfies readonly Scope[];
/** Who owns a seeded gadget: a fixture user, the first admin (no department, no team), or nobody. */
type Owner = OrgUserKey | "admin" | "nobody";
const USERS = Object.keys(ORG_PLAN.users) as OrgUserKey[];
const OWNERS: Owner[] = [...USERS, "admin", "nobody"];

/** The users whose records `scope` reaches for `user` (null: a role token acting for nobody). */
function reach(user: OrgUserKey | null, scope: Scope): Set<Owner> {
  if (scope === "all") return new Set(OWNERS);
  if (scope === "none" || user === null) return new Set();
  const departmentOf = (u: OrgUserKey): string => ORG_PLAN.users[u].department;
  const below = (department: string, top: string): boolean => {
    for (let d: string | null = department; d !== null; d = (ORG_PLAN.departments as Record<string, { parent: string | null }>)[d]!.parent) if (d === top) return true;
    return false;
  };
  const teams = Object.values(ORG_PLAN.teams) as ReadonlyArray<readonly OrgUserKey[]>;
  const match: Record<Exclude<Scope, "all" | "none">, (u: OrgUserKey) => boolean> = {
    own: (u) => u === user,
    team: (u) => u === user || teams.some((members) => members.includes(user) && members.includes(u)),
    department: (u) => departmentOf(u) === departmentOf(user),
    subtree: (u) => below(departmentOf(u), departmentOf(user)),
  };
  return new Set(USERS.filter(match[scope]));
}

interface Caller {
  name: string;
  /** The user it acts for; null for anonymous and role tokens. */
  user: OrgUserKey | null;
  /** Whether it holds the probe role, the only grant on gadget. */
  probe: boolean;
  headers: Record<string, string>;
}

/** How the probe role grants gadget: `wide` reads every record but updates and deletes only `scope`. */
interface Variant {
  wide?: boolean;
  transfer?: boolean;
}

function probePermissions(scope: Scope, variant: Variant = {}): RolePermissions {
  return {
    entities: {
      [gadget.id]: { read: variant.wide ? "all" : scope, update: scope, delete: scope, create: true, ...(variant.transfer ? { transfer: true } : {}) },
      [pin.id]: { read: "all" },
      [shelf.id]: { read: "all" },
    },
  };
}

/** One request per owner, sent together; the answers in OWNERS order. */
const perOwner = <T>(send: (owner: Owner) => Promise<T>): Promise<T[]> => Promise.all(OWNERS.map(send));
const sorted = <T>(values: Iterable<T>): T[] => [...values].sort();
const pointers = (body: { issues?: Array<{ pointer: string }> }) => (body.issues ?? []).map((i) => i.pointer);

describe.each(databaseTargets)("authorization matrix on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;
  let probeRole: string;
  let callers: Caller[];
  const userId = (owner: Owner): string | null => (owner === "nobody" ? null : owner === "admin" ? server.admin.userId : org.users[owner].id);
  /** The seeded gadget (and the pin pointing at it) of each owner. */
  const gadgetOf = {} as Record<Owner, string>;
  const pinOf = {} as Record<Owner, string>;
  const ownerOfGadget = new Map<string, Owner>();
  let shelfId: string;

  const ownersOf = (ids: Iterable<string>): string[] => sorted([...ids].map((id) => ownerOfGadget.get(id) ?? `unknown ${id}`));
  const expected = (caller: Caller, scope: Scope): string[] => (caller.probe ? sorted(reach(caller.user, scope)) : []);

  /** Status of a read of gadget: 200, or the refusal that comes first. */
  function readStatus(caller: Caller, scope: Scope): number {
    if (caller.name === "anonymous") return 401;
    return caller.probe && scope !== "none" ? 200 : 403;
  }

  /** Status of an update or delete of a record of `owner`, and the status when out of scope. */
  function writeStatus(caller: Caller, scope: Scope, variant: Variant, owner: Owner, ok: number): number {
    if (caller.name === "anonymous") return 401;
    if (!caller.probe || scope === "none") return 403;
    if (reach(caller.user, scope).has(owner)) return ok;
    return variant.wide ? 403 : 404;
  }

  /**
   * Run `check` for every scope and caller, with the probe role granting that scope. Callers without
   * the probe role answer the same whatever it grants: they run with the first scope only.
   */
  async function eachCell(variant: Variant, check: (scope: Scope, caller: Caller) => Promise<void>): Promise<void> {
    for (const [i, scope] of SCOPES.entries()) {
      await setPermissions(server, probeRole, probePermissions(scope, variant));
      for (const caller of callers) if (caller.probe || i === 0) await check(scope, caller);
    }
  }

  const gadgetRows = async () => new Map((await server.sql<{ id: string; row: Record<string, unknown> }>(`select id::text as id, to_jsonb(t) as row from data.gadget t`)).map((r) => [r.id, r.row]));
  const gadgetRow = async (id: string) => (await server.sql<{ row: Record<string, unknown> }>(`select to_jsonb(t) as row from data.gadget t where id = $1`, [id]))[0]?.row;
  const historyCount = async () => (await server.sql<{ n: number }>(`select count(*)::int as n from record_history where entity_id = $1`, [gadget.id]))[0]!.n;

  /** Fresh gadgets, one per owner, made by the admin (who may set any owner). */
  async function freshGadgets(tag: string): Promise<Record<Owner, string>> {
    const res = await server.request("POST", "/api/records/gadget", OWNERS.map((o) => ({ title: `${tag} ${o}`, ownerId: userId(o) })));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Object.fromEntries(OWNERS.map((o, i) => [o, res.body.items[i].id])) as Record<Owner, string>;
  }

  async function removeGadgets(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const res = await server.request("DELETE", "/api/records/gadget", { ids });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  beforeAll(async () => {
    org = await buildOrg(server);
    const created = await server.request("POST", "/api/meta/entities", { definitions: [shelf, gadget, pin] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    probeRole = await createRole(server, org, "probe", probePermissions("none"));
    for (const user of ["owner", "teammate", "colleague", "manager", "outsider"] as const) {
      await setRoles(server, org.users[user].id, [org.roles[ORG_PLAN.users[user].role]!, probeRole]);
    }
    const probeToken = await server.request("POST", "/api/admin/tokens", { name: "probe integration", roleId: probeRole });
    const member = (name: OrgUserKey, probe: boolean): Caller => ({ name, user: name, probe, headers: org.users[name].headers });
    callers = [
      member("owner", true),
      member("teammate", true),
      member("colleague", true),
      member("manager", true),
      member("outsider", true),
      member("norole", false),
      member("finance", false),
      { name: "anonymous", user: null, probe: false, headers: ANONYMOUS },
      { name: "probe token", user: null, probe: true, headers: bearer(probeToken.body.token) },
      { name: "owner's token", user: "owner", probe: true, headers: org.tokens.owner.headers },
      { name: "sales_rep token", user: null, probe: false, headers: org.tokens.salesRep.headers },
    ];

    shelfId = (await server.request("POST", "/api/records/shelf", { name: "main" })).body.id;
    const gadgets = await server.request("POST", "/api/records/gadget", OWNERS.map((o) => ({ title: `widget ${o}`, secret: `hush ${o}`, score: 0, shelf: shelfId, ownerId: userId(o) })));
    expect(gadgets.status, JSON.stringify(gadgets.body)).toBe(201);
    OWNERS.forEach((o, i) => {
      gadgetOf[o] = gadgets.body.items[i].id;
      ownerOfGadget.set(gadgets.body.items[i].id, o);
      expect(gadgets.body.items[i].ownerId).toBe(userId(o));
    });
    const pins = await server.request("POST", "/api/records/pin", OWNERS.map((o) => ({ label: `pin ${o}`, gadget: gadgetOf[o] })));
    OWNERS.forEach((o, i) => (pinOf[o] = pins.body.items[i].id));
  });

  it("lists, with and without a count, exactly the records the scope reaches", async () => {
    await eachCell({}, async (scope, caller) => {
      const at = `${scope} / ${caller.name}`;
      for (const query of ["limit=200", "limit=200&count=true&sort=title", "limit=200&filter=shelf.name:eq:main"]) {
        const res = await server.request("GET", `/api/records/gadget?${query}`, undefined, caller.headers);
        expect(res.status, `${at} ${query}`).toBe(readStatus(caller, scope));
        if (res.status !== 200) continue;
        expect(ownersOf(res.body.items.map((r: { id: string }) => r.id)), `${at} ${query}`).toEqual(expected(caller, scope));
        if (query.includes("count")) expect(res.body.total, at).toBe(expected(caller, scope).length);
      }
      // A page of one walks the same set, cursor by cursor.
      if (readStatus(caller, scope) !== 200) return;
      const walked: string[] = [];
      let path = "/api/records/gadget?limit=1&sort=-title";
      for (let page = 0; page < OWNERS.length + 1; page++) {
        const res = await server.request("GET", path, undefined, caller.headers);
        walked.push(...res.body.items.map((r: { id: string }) => r.id));
        if (!res.body.nextCursor) break;
        path = `/api/records/gadget?limit=1&sort=-title&cursor=${res.body.nextCursor}`;
      }
      expect(ownersOf(walked), `${at} paging`).toEqual(expected(caller, scope));
    });
  });

  it("gets a record in scope, and answers 404 for one out of scope as for a missing one", async () => {
    await eachCell({}, async (scope, caller) => {
      const reached = new Set(expected(caller, scope));
      const answers = await perOwner((owner) => server.request("GET", `/api/records/gadget/${gadgetOf[owner]}`, undefined, caller.headers));
      for (const [i, owner] of OWNERS.entries()) {
        const res = answers[i]!;
        const status = readStatus(caller, scope) === 200 ? (reached.has(owner) ? 200 : 404) : readStatus(caller, scope);
        expect(res.status, `${scope} / ${caller.name} / ${owner}`).toBe(status);
        if (status === 200) expect(res.body).toMatchObject({ id: gadgetOf[owner], title: `widget ${owner}` });
        if (status === 404) expect(res.body.code).toBe("RECORD_NOT_FOUND");
      }
    });
  });

  it("counts and groups only what the scope reaches", async () => {
    await eachCell({}, async (scope, caller) => {
      const at = `${scope} / ${caller.name}`;
      const total = await server.request("GET", "/api/records/gadget/aggregate?metrics=count", undefined, caller.headers);
      expect(total.status, at).toBe(readStatus(caller, scope));
      if (total.status !== 200) return;
      const count = total.body.groups.reduce((sum: number, g: { count: number }) => sum + g.count, 0);
      expect(count, at).toBe(expected(caller, scope).length);
      const byOwner = await server.request("GET", "/api/records/gadget/aggregate?groupBy=ownerId&metrics=count,sum:score", undefined, caller.headers);
      expect(byOwner.status, at).toBe(200);
      const groups = byOwner.body.groups as Array<{ key: { ownerId: string | null }; count: number }>;
      const owners = OWNERS.filter((o) => groups.some((g) => g.key.ownerId === userId(o)));
      expect(sorted(owners), at).toEqual(expected(caller, scope));
      expect(groups.every((g) => g.count === 1), at).toBe(true);
    });
  });

  it("expands gadgets from pins (manyToOne) and shelves (oneToMany) only in scope", async () => {
    await eachCell({}, async (scope, caller) => {
      const at = `${scope} / ${caller.name}`;
      const status = readStatus(caller, scope) === 403 && caller.probe ? 400 : readStatus(caller, scope);
      const pins = await server.request("GET", "/api/records/pin?expand=gadget&limit=200", undefined, caller.headers);
      expect(pins.status, at).toBe(status);
      const shelves = await server.request("GET", "/api/records/shelf?expand=gadgets", undefined, caller.headers);
      expect(shelves.status, at).toBe(status);
      const one = await server.request("GET", `/api/records/pin/${pinOf.owner}?expand=gadget`, undefined, caller.headers);
      expect(one.status, at).toBe(status);
      if (status === 400) {
        for (const res of [pins, shelves, one]) expect(res.body.issues, at).toMatchObject([{ code: "ENTITY_NOT_READABLE", pointer: "/expand" }]);
        return;
      }
      if (status !== 200) return;
      // Every pin is readable; its gadget is embedded when in scope and stays a bare id otherwise.
      expect(pins.body.items).toHaveLength(OWNERS.length);
      const embedded = pins.body.items.filter((p: { gadget: unknown }) => typeof p.gadget === "object" && p.gadget !== null);
      expect(ownersOf(embedded.map((p: { gadget: { id: string } }) => p.gadget.id)), at).toEqual(expected(caller, scope));
      for (const p of pins.body.items) if (typeof p.gadget === "string") expect(Object.values(gadgetOf)).toContain(p.gadget);
      expect(ownersOf(shelves.body.items[0].gadgets.map((g: { id: string }) => g.id)), at).toEqual(expected(caller, scope));
      expect(typeof one.body.gadget === "object", at).toBe(expected(caller, scope).includes("owner"));
    });
  });

  it("filters, sorts and groups through a relation path as if hidden gadgets were not there", async () => {
    await eachCell({}, async (scope, caller) => {
      const at = `${scope} / ${caller.name}`;
      const status = readStatus(caller, scope) === 403 && caller.probe ? 400 : readStatus(caller, scope);
      const [res, byOwner, bySort, groups] = await Promise.all([
        server.request("GET", "/api/records/pin?limit=200&filter=gadget.title:startsWith:widget", undefined, caller.headers),
        server.request("GET", `/api/records/pin?limit=200&filter=gadget.ownerId:eq:${org.users.outsider.id}`, undefined, caller.headers),
        server.request("GET", "/api/records/pin?limit=200&sort=gadget.title", undefined, caller.headers),
        server.request("GET", "/api/records/pin/aggregate?groupBy=gadget.title", undefined, caller.headers),
      ]);
      expect([res.status, byOwner.status, bySort.status, groups.status], at).toEqual([status, status, status, status]);
      if (status === 400) for (const r of [res, byOwner]) expect(r.body.issues, at).toMatchObject([{ code: "FIELD_NOT_READABLE", pointer: "/filter" }]);
      if (status !== 200) return;
      const visible = expected(caller, scope) as Owner[];
      expect(ownersOf(res.body.items.map((p: { gadget: string }) => p.gadget)), at).toEqual(visible);
      expect(byOwner.body.items.length, at).toBe(visible.includes("outsider") ? 1 : 0);
      // Visible gadgets by title, then the pins of hidden ones as if their title were null (by pin id):
      // a hidden title must not order anything.
      const hidden = OWNERS.filter((o) => !visible.includes(o));
      const order = [...sorted(visible.map((o) => `widget ${o}`)).map((t) => pinOf[t.slice(7) as Owner]), ...sorted(hidden.map((o) => pinOf[o]))];
      expect(bySort.body.items.map((p: { id: string }) => p.id), at).toEqual(order);
      const counts = Object.fromEntries(groups.body.groups.map((g: { key: object; count: number }) => [String(Object.values(g.key)[0]), g.count]));
      expect(counts, at).toEqual(Object.fromEntries([...visible.map((o) => [`widget ${o}`, 1]), ...(hidden.length ? [["null", hidden.length]] : [])]));
    });
  });

  it("searches only records in scope", async () => {
    await eachCell({}, async (scope, caller) => {
      const at = `${scope} / ${caller.name}`;
      const res = await server.request("GET", "/api/records/gadget?q=widget&limit=200", undefined, caller.headers);
      expect(res.status, at).toBe(readStatus(caller, scope));
      if (res.status === 200) expect(ownersOf(res.body.items.map((r: { id: string }) => r.id)), at).toEqual(expected(caller, scope));
      const one = await server.request("GET", "/api/records/gadget?q=hush%20outsider&count=true", undefined, caller.headers);
      if (one.status === 200) expect(one.body.total, at).toBe(expected(caller, scope).includes("outsider") ? 1 : 0);
    });
  });

  it("shows a record's history in scope; 404 out of scope", async () => {
    await eachCell({}, async (scope, caller) => {
      const reached = new Set(expected(caller, scope));
      const answers = await perOwner((owner) => server.request("GET", `/api/records/gadget/${gadgetOf[owner]}/history`, undefined, caller.headers));
      for (const [i, owner] of OWNERS.entries()) {
        const res = answers[i]!;
        const status = readStatus(caller, scope) === 200 ? (reached.has(owner) ? 200 : 404) : readStatus(caller, scope);
        expect(res.status, `${scope} / ${caller.name} / ${owner}`).toBe(status);
        if (status === 200) expect(res.body.items.at(-1)).toMatchObject({ action: "create", changes: { title: { new: `widget ${owner}` } } });
      }
    });
  });

  for (const variant of [{}, { wide: true }] as Variant[]) {
    const how = variant.wide ? "read every record, update and delete in scope: out of scope is 403" : "read, update and delete in scope: out of scope is 404";
    let marker = 0;

    it(`updates one by one only in scope (${how})`, async () => {
      await eachCell(variant, async (scope, caller) => {
        const before = await gadgetRows();
        const historyBefore = await historyCount();
        const value = ++marker;
        const changed = new Set<string>();
        // A stale If-Match changes nothing, and says 412 only about records the caller may update.
        const stale = await perOwner((owner) => server.request("PATCH", `/api/records/gadget/${gadgetOf[owner]}`, { score: value }, { ...caller.headers, "if-match": '"999"' }));
        expect(stale.map((r) => r.status), `${scope} / ${caller.name} stale`).toEqual(OWNERS.map((o) => (writeStatus(caller, scope, variant, o, 412))));
        const answers = await perOwner((owner) => server.request("PATCH", `/api/records/gadget/${gadgetOf[owner]}`, { score: value }, caller.headers));
        for (const [i, owner] of OWNERS.entries()) {
          const res = answers[i]!;
          const status = writeStatus(caller, scope, variant, owner, 200);
          expect(res.status, `${scope} / ${caller.name} / ${owner}: ${JSON.stringify(res.body)}`).toBe(status);
          if (status === 200) changed.add(gadgetOf[owner]);
        }
        const after = await gadgetRows();
        for (const [id, row] of before) {
          if (changed.has(id)) expect(after.get(id), `${scope} / ${caller.name}`).toMatchObject({ score: value, version: (row.version as number) + 1 });
          else expect(after.get(id), `${scope} / ${caller.name}: ${ownerOfGadget.get(id)} changed`).toEqual(row);
        }
        expect(await historyCount()).toBe(historyBefore + changed.size);
      });
    });

    it(`updates a batch all or nothing, only in scope (${how})`, async () => {
      await eachCell(variant, async (scope, caller) => {
        const at = `${scope} / ${caller.name}`;
        const before = await gadgetRows();
        const historyBefore = await historyCount();
        const value = ++marker;
        const inScope = OWNERS.filter((o) => writeStatus(caller, scope, variant, o, 200) === 200);
        const changes = inScope.map((o) => ({ id: gadgetOf[o], score: value }));
        for (const owner of OWNERS.filter((o) => !inScope.includes(o))) {
          const res = await server.request("PATCH", "/api/records/gadget", [...changes, { id: gadgetOf[owner], score: value }], caller.headers);
          const status = writeStatus(caller, scope, variant, owner, 200);
          expect(res.status, `${at} / ${owner}`).toBe(status);
          if (status === 404 || (status === 403 && caller.probe && scope !== "none")) expect(pointers(res.body), `${at} / ${owner}`).toEqual([`/${changes.length}`]);
        }
        expect(await gadgetRows(), at).toEqual(before);
        if (changes.length) {
          const res = await server.request("PATCH", "/api/records/gadget", changes, caller.headers);
          expect(res.status, at).toBe(200);
          expect(ownersOf(res.body.items.map((r: { id: string }) => r.id)), at).toEqual(sorted(inScope));
        }
        const after = await gadgetRows();
        for (const [id, row] of before) {
          if (inScope.includes(ownerOfGadget.get(id)!)) expect(after.get(id), at).toMatchObject({ score: value, version: (row.version as number) + 1 });
          else expect(after.get(id), at).toEqual(row);
        }
        expect(await historyCount(), at).toBe(historyBefore + inScope.length);
      });
    });

    it(`deletes one by one only in scope (${how})`, async () => {
      await eachCell(variant, async (scope, caller) => {
        const fresh = await freshGadgets(`delete ${++marker}`);
        const historyBefore = await historyCount();
        const deleted: string[] = [];
        const stale = await perOwner((owner) => server.request("DELETE", `/api/records/gadget/${fresh[owner]}`, undefined, { ...caller.headers, "if-match": '"999"' }));
        expect(stale.map((r) => r.status), `${scope} / ${caller.name} stale`).toEqual(OWNERS.map((o) => writeStatus(caller, scope, variant, o, 412)));
        const answers = await perOwner((owner) => server.request("DELETE", `/api/records/gadget/${fresh[owner]}`, undefined, caller.headers));
        for (const [i, owner] of OWNERS.entries()) {
          const res = answers[i]!;
          const status = writeStatus(caller, scope, variant, owner, 204);
          expect(res.status, `${scope} / ${caller.name} / ${owner}`).toBe(status);
          if (status === 204) deleted.push(fresh[owner]);
        }
        const left = (await server.sql<{ id: string }>(`select id::text as id from data.gadget where id = any($1::uuid[])`, [Object.values(fresh)])).map((r) => r.id);
        expect(sorted(left), `${scope} / ${caller.name}`).toEqual(sorted(Object.values(fresh).filter((id) => !deleted.includes(id))));
        const history = await server.sql<{ record_id: string }>(`select record_id::text from record_history where entity_id = $1 and action = 'delete' and record_id = any($2::uuid[])`, [gadget.id, Object.values(fresh)]);
        expect(sorted(history.map((h) => h.record_id))).toEqual(sorted(deleted));
        // A deleted record's history stays readable only to callers who read every record.
        const trail = await Promise.all(deleted.map((id) => server.request("GET", `/api/records/gadget/${id}/history`, undefined, caller.headers)));
        expect(trail.map((r) => r.status), `${scope} / ${caller.name} history`).toEqual(deleted.map(() => (scope === "all" || variant.wide ? 200 : 404)));
        expect(await historyCount()).toBe(historyBefore + deleted.length);
        await removeGadgets(left);
      });
    });

    it(`deletes a batch all or nothing, only in scope (${how})`, async () => {
      await eachCell(variant, async (scope, caller) => {
        const at = `${scope} / ${caller.name}`;
        const fresh = await freshGadgets(`batch delete ${++marker}`);
        const historyBefore = await historyCount();
        const inScope = OWNERS.filter((o) => writeStatus(caller, scope, variant, o, 200) === 200);
        const ids = inScope.map((o) => fresh[o]);
        for (const owner of OWNERS.filter((o) => !inScope.includes(o))) {
          const res = await server.request("DELETE", "/api/records/gadget", { ids: [...ids, fresh[owner]] }, caller.headers);
          const status = writeStatus(caller, scope, variant, owner, 200);
          expect(res.status, `${at} / ${owner}`).toBe(status);
          if (status === 404 || (status === 403 && caller.probe && scope !== "none")) expect(pointers(res.body), `${at} / ${owner}`).toEqual([`/ids/${ids.length}`]);
        }
        const count = async () => (await server.sql<{ n: number }>(`select count(*)::int as n from data.gadget where id = any($1::uuid[])`, [Object.values(fresh)]))[0]!.n;
        expect(await count(), at).toBe(OWNERS.length);
        if (ids.length) {
          const res = await server.request("DELETE", "/api/records/gadget", { ids }, caller.headers);
          expect(res.status, at).toBe(200);
          expect(res.body, at).toEqual({ deleted: ids.length });
        }
        expect(await count(), at).toBe(OWNERS.length - ids.length);
        expect(await historyCount(), at).toBe(historyBefore + ids.length);
        await removeGadgets(OWNERS.filter((o) => !inScope.includes(o)).map((o) => fresh[o]));
      });
    });
  }

  it("creates records owned by the caller (a role token's by nobody), one or a batch", async () => {
    await eachCell({}, async (scope, caller) => {
      const at = `${scope} / ${caller.name}`;
      const historyBefore = await historyCount();
      // The probe role creates at every scope, `none` included: a create-only role writes what it cannot read back.
      const status = caller.name === "anonymous" ? 401 : caller.probe ? 201 : 403;
      const titles = [`made ${at}`, `made ${at} 1`, `made ${at} 2`];
      const one = await server.request("POST", "/api/records/gadget", { title: titles[0] }, caller.headers);
      const batch = await server.request("POST", "/api/records/gadget", titles.slice(1).map((title) => ({ title })), caller.headers);
      expect([one.status, batch.status], `${at}: ${JSON.stringify(one.body)}`).toEqual([status, status]);
      const rows = await server.sql<{ id: string; ownerId: string | null }>(`select id::text as id, "ownerId"::text as "ownerId" from data.gadget where title = any($1::text[])`, [`{${titles.map((t) => JSON.stringify(t)).join(",")}}`]);
      if (status !== 201) {
        expect(rows, at).toEqual([]);
        expect(await historyCount(), at).toBe(historyBefore);
        return;
      }
      const owner = caller.user ? org.users[caller.user].id : null;
      expect(rows.map((r) => r.ownerId), at).toEqual([owner, owner, owner]);
      expect([one.body.ownerId, ...batch.body.items.map((r: { ownerId: string }) => r.ownerId)], at).toEqual([owner, owner, owner]);
      expect(await historyCount(), at).toBe(historyBefore + 3);
      // The caller reads back what it made exactly when its read scope reaches its own records.
      const back = await server.request("GET", `/api/records/gadget/${one.body.id}`, undefined, caller.headers);
      // (Without any read scope the entity itself is closed: 403 whatever the record.)
      expect(back.status, at).toBe(scope === "none" ? 403 : reach(caller.user, scope).has(caller.user ?? "nobody") ? 200 : 404);
      await removeGadgets(rows.map((r) => r.id));
    });
  });

  for (const transfer of [false, true]) {
    it(`creates records for another owner only ${transfer ? "within the update scope (transfer granted)" : "never (no transfer permission)"}`, async () => {
      await eachCell({ transfer }, async (scope, caller) => {
        const historyBefore = await historyCount();
        const tag = `given ${scope} / ${caller.name} →`;
        const expectedOwners: Array<string | null> = [];
        const answers = await perOwner((owner) => server.request("POST", "/api/records/gadget", { title: `${tag} ${owner}`, ownerId: userId(owner) }, caller.headers));
        for (const [i, owner] of OWNERS.entries()) {
          const at = `${scope} / ${caller.name} → ${owner}`;
          const res = answers[i]!;
          const self = owner === (caller.user ?? "nobody");
          let status = caller.name === "anonymous" ? 401 : caller.probe ? 201 : 403;
          let code: string | undefined;
          if (status === 201 && !self && !transfer) [status, code] = [403, "TRANSFER_NOT_ALLOWED"];
          if (status === 201 && !self && transfer && !reach(caller.user, scope).has(owner)) [status, code] = [403, "OWNER_OUT_OF_SCOPE"];
          expect(res.status, `${at}: ${JSON.stringify(res.body)}`).toBe(status);
          if (code) expect(res.body.issues, at).toEqual([expect.objectContaining({ code, pointer: "/ownerId" })]);
          if (status === 201) expectedOwners.push(userId(owner));
        }
        const rows = await server.sql<{ id: string; ownerId: string | null }>(`select id::text as id, "ownerId"::text as "ownerId" from data.gadget where starts_with(title, $1)`, [tag]);
        expect(sorted(rows.map((r) => String(r.ownerId))), `${scope} / ${caller.name}`).toEqual(sorted(expectedOwners.map(String)));
        expect(await historyCount()).toBe(historyBefore + rows.length);
        await removeGadgets(rows.map((r) => r.id));
      });
    });
  }

  it("moves a record to another owner only within the update scope, with transfer", async () => {
    await eachCell({ transfer: true }, async (scope, caller) => {
      const own = caller.user ?? "nobody";
      const id = (await server.request("POST", "/api/records/gadget", { title: `move ${scope} ${caller.name}`, ownerId: userId(own) })).body.id as string;
      const reachable = writeStatus(caller, scope, {}, own, 200);
      for (const owner of OWNERS) {
        const at = `${scope} / ${caller.name} → ${owner}`;
        const before = await gadgetRow(id);
        const res = await server.request("PATCH", `/api/records/gadget/${id}`, { ownerId: userId(owner) }, caller.headers);
        const moves = reachable === 200 && (owner === own || reach(caller.user, scope).has(owner));
        expect(res.status, `${at}: ${JSON.stringify(res.body)}`).toBe(reachable === 200 && !moves ? 403 : reachable);
        const after = await gadgetRow(id);
        if (moves) {
          expect(after?.ownerId, at).toBe(userId(owner));
          await server.request("PATCH", `/api/records/gadget/${id}`, { ownerId: userId(own) });
        } else expect(after, at).toEqual(before);
      }
    });
    await removeGadgets((await server.sql<{ id: string }>(`select id::text as id from data.gadget where title like 'move %'`)).map((r) => r.id));
  });

  it("replays an idempotent create only to the caller who sent it", async () => {
    await setPermissions(server, probeRole, probePermissions("all"));
    const send = (headers: Record<string, string>) => server.request("POST", "/api/records/gadget", { title: "idempotent" }, { ...headers, "idempotency-key": "same-key-for-everyone" });
    const first = await send(org.users.owner.headers);
    expect(first.status).toBe(201);
    const again = await send(org.users.owner.headers);
    expect([again.status, again.body.id, again.headers.get("idempotent-replayed")]).toEqual([201, first.body.id, "true"]);
    const probeToken = callers.find((c) => c.name === "probe token")!;
    const others = [await send(org.users.outsider.headers), await send(probeToken.headers), await send(org.users.norole.headers)];
    expect(others.map((r) => r.status)).toEqual([201, 201, 403]);
    expect(new Set([first.body.id, ...others.slice(0, 2).map((r) => r.body.id)]).size).toBe(3);
    expect(others.map((r) => r.headers.get("idempotent-replayed"))).toEqual([null, null, null]);
    const rows = await server.sql<{ id: string; ownerId: string | null }>(`select id::text as id, "ownerId"::text as "ownerId" from data.gadget where title = 'idempotent'`);
    expect(sorted(rows.map((r) => String(r.ownerId)))).toEqual(sorted([org.users.owner.id, org.users.outsider.id, "null"]));
    await removeGadgets(rows.map((r) => r.id));
  });

  it("gives a user holding two roles the union of both: widest scope, any action, most open field", async () => {
    const narrow = await createRole(server, org, "union_narrow", { entities: { [gadget.id]: { read: "own", update: "own", create: true, fields: { [FIELD.secret]: "none", [FIELD.score]: "read" } } } });
    const wide = await createRole(server, org, "union_wide", { entities: { [gadget.id]: { read: "subtree", fields: { [FIELD.secret]: "read" } } } });
    const { colleague } = org.users;
    const look = async () => {
      const res = await server.request("GET", "/api/records/gadget?limit=200&filter=title:startsWith:widget", undefined, colleague.headers);
      return { owners: ownersOf(res.body.items.map((r: { id: string }) => r.id)), secret: res.body.items.some((r: object) => "secret" in r) };
    };
    await setRoles(server, colleague.id, [wide]);
    expect(await look()).toEqual({ owners: sorted(reach("colleague", "subtree")), secret: true });
    expect((await server.request("POST", "/api/records/gadget", { title: "union" }, colleague.headers)).status).toBe(403);
    await setRoles(server, colleague.id, [narrow]);
    expect(await look()).toEqual({ owners: ["colleague"], secret: false });
    await setRoles(server, colleague.id, [narrow, wide]);
    expect(await look()).toEqual({ owners: sorted(reach("colleague", "subtree")), secret: true });
    // Update and create come from narrow; score is read only under both roles, secret readable under wide only.
    const patched = await server.request("PATCH", `/api/records/gadget/${gadgetOf.colleague}`, { title: "widget colleague" }, colleague.headers);
    expect(patched.status).toBe(200);
    const score = await server.request("PATCH", `/api/records/gadget/${gadgetOf.colleague}`, { score: 5 }, colleague.headers);
    expect(score.status).toBe(403);
    expect(pointers(score.body)).toEqual(["/score"]);
    expect(pointers((await server.request("PATCH", `/api/records/gadget/${gadgetOf.colleague}`, { secret: "x" }, colleague.headers)).body)).toEqual(["/secret"]);
    expect((await server.request("PATCH", `/api/records/gadget/${gadgetOf.norole}`, { title: "x" }, colleague.headers)).status).toBe(403);
    const made = await server.request("POST", "/api/records/gadget", { title: "union" }, colleague.headers);
    expect(made.status).toBe(201);
    await removeGadgets([made.body.id]);
    await setRoles(server, colleague.id, [org.roles.sales_rep!, probeRole]);
  });

  it("gives a user holding a team role and a department role the records of both (team is not inside department)", async () => {
    // owner's teammate sits in Sales East Team, below owner's Sales East: the team and department
    // scopes overlap without either holding the other, so the union is not the wider of the two.
    const team = await createRole(server, org, "union_team", { entities: { [gadget.id]: { read: "team" } } });
    const department = await createRole(server, org, "union_department", { entities: { [gadget.id]: { read: "department" } } });
    const { teammate } = org.users;
    await setRoles(server, teammate.id, [team, department]);
    try {
      const res = await server.request("GET", "/api/records/gadget?limit=200&filter=title:startsWith:widget", undefined, teammate.headers);
      expect(res.status).toBe(200);
      const union = new Set([...reach("teammate", "team"), ...reach("teammate", "department")]);
      expect(ownersOf(res.body.items.map((r: { id: string }) => r.id))).toEqual(sorted(union));
    } finally {
      await setRoles(server, teammate.id, [org.roles.sales_rep!, probeRole]);
    }
  });

  it("hides a field set to none everywhere and refuses to filter, sort, group or search on it", async () => {
    const role = await createRole(server, org, "no_secret", { entities: { [gadget.id]: { read: "all", update: "all", create: true, fields: { [FIELD.secret]: "none", [FIELD.score]: "none" } }, [pin.id]: { read: "all" }, [shelf.id]: { read: "all" } } });
    const { outsider } = org.users;
    await setRoles(server, outsider.id, [role]);
    const get = (path: string) => server.request("GET", path, undefined, outsider.headers);
    const hidden = (record: object, at: string) => expect(Object.keys(record).filter((k) => k === "secret" || k === "score"), at).toEqual([]);

    const list = await get("/api/records/gadget?limit=200");
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(OWNERS.length);
    for (const record of list.body.items) hidden(record, "list");
    hidden((await get(`/api/records/gadget/${gadgetOf.owner}`)).body, "get");
    for (const record of (await get("/api/records/pin?expand=gadget&limit=200")).body.items) hidden(record.gadget, "pin expand");
    for (const record of (await get("/api/records/shelf?expand=gadgets")).body.items[0].gadgets) hidden(record, "shelf expand");
    hidden((await get(`/api/records/pin/${pinOf.owner}?expand=gadget`)).body.gadget, "get expand");
    hidden((await get("/api/records/pin?expand=gadget.shelf&limit=1")).body.items[0].gadget, "two levels");

    const tracked = (await server.request("POST", "/api/records/gadget", { title: "tracked", secret: "hush tracked" })).body.id as string;
    await server.request("PATCH", `/api/records/gadget/${tracked}`, { secret: "hush tracked, changed" });
    await server.request("PATCH", `/api/records/gadget/${tracked}`, { secret: "hush tracked", title: "tracked!" });
    const history = await get(`/api/records/gadget/${tracked}/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).not.toContain("hush");
    // The update of the secret alone is left out; the others keep their visible changes.
    expect(history.body.items.map((i: { action: string; changes: object }) => [i.action, Object.keys(i.changes).sort()])).toEqual([
      ["update", ["title"]],
      ["create", ["ownerId", "title"]],
    ]);
    expect((await server.request("GET", `/api/records/gadget/${tracked}/history`)).body.items).toHaveLength(3);
    await removeGadgets([tracked]);

    const refused: Array<[string, string]> = [
      ["/api/records/gadget?filter=secret:eq:x", "/filter"],
      ["/api/records/gadget?filter=or(title:eq:x,secret:startsWith:hush)", "/filter"],
      ["/api/records/gadget?sort=secret", "/sort"],
      ["/api/records/gadget?sort=-secret", "/sort"],
      ["/api/records/gadget?fields=title,secret", "/fields"],
      [`/api/records/gadget/${gadgetOf.owner}?fields=secret`, "/fields"],
      ["/api/records/pin?filter=gadget.secret:eq:x", "/filter"],
      ["/api/records/pin?sort=gadget.secret", "/sort"],
      ["/api/records/gadget/aggregate?groupBy=secret", "/groupBy"],
      ["/api/records/gadget/aggregate?metrics=sum:score", "/metrics"],
      ["/api/records/gadget?filter=score:gte:0", "/filter"],
      ["/api/records/gadget/aggregate?filter=secret:isNull:true", "/filter"],
      ["/api/records/pin/aggregate?groupBy=gadget.secret", "/groupBy"],
    ];
    for (const [path, pointer] of refused) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.issues, path).toEqual([expect.objectContaining({ code: "FIELD_NOT_READABLE", pointer })]);
    }
    expect((await get("/api/records/gadget?q=hush&count=true")).body.total).toBe(0);
    expect((await get("/api/records/gadget/aggregate?q=hush")).body.groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(0);
    expect((await server.request("GET", "/api/records/gadget?q=hush&count=true")).body.total).toBe(OWNERS.length);
    expect((await get("/api/records/gadget?q=widget&count=true")).body.total).toBe(OWNERS.length);
    expect((await get("/api/records/gadget?filter=title:startsWith:widget&sort=title")).body.items).toHaveLength(OWNERS.length);
    await setRoles(server, outsider.id, [org.roles.sales_rep!, probeRole]);
  });

  it("does not reveal a hidden manyToOne through the oneToMany that mirrors it", async () => {
    const role = await createRole(server, org, "no_shelf", { entities: { [gadget.id]: { read: "all", fields: { "t-gadget-shelf": "none" } }, [shelf.id]: { read: "all" } } });
    const { outsider } = org.users;
    await setRoles(server, outsider.id, [role]);
    try {
      const get = (path: string) => server.request("GET", path, undefined, outsider.headers);
      expect((await get(`/api/records/gadget/${gadgetOf.owner}`)).body).not.toHaveProperty("shelf");
      expect((await get(`/api/records/gadget?filter=shelf:eq:${shelfId}`)).status).toBe(400);
      // Which gadgets sit on the shelf is gadget.shelf itself, read from the other side.
      for (const path of ["/api/records/shelf?expand=gadgets", `/api/records/shelf/${shelfId}?expand=gadgets`]) {
        const res = await get(path);
        expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 400)}`).toBe(400);
        expect(res.body.issues, path).toEqual([expect.objectContaining({ code: "FIELD_NOT_READABLE", pointer: "/expand" })]);
      }
    } finally {
      await setRoles(server, outsider.id, [org.roles.sales_rep!, probeRole]);
    }
  });

  it("refuses to write a field set to read (403 naming it) and changes nothing", async () => {
    const role = await createRole(server, org, "read_score", { entities: { [gadget.id]: { read: "all", update: "all", create: true, fields: { [FIELD.score]: "read", [FIELD.secret]: "none" } } } });
    const { outsider } = org.users;
    await setRoles(server, outsider.id, [role]);
    const before = await gadgetRows();
    const historyBefore = await historyCount();
    const id = gadgetOf.owner;
    const attempts: Array<[string, string, unknown, string[]]> = [
      ["PATCH", `/api/records/gadget/${id}`, { score: 1 }, ["/score"]],
      ["PATCH", `/api/records/gadget/${id}`, { title: "changed", secret: "x", score: 2 }, ["/score", "/secret"]],
      ["PATCH", "/api/records/gadget", [{ id, title: "changed" }, { id: gadgetOf.manager, score: 3 }], ["/1/score"]],
      ["POST", "/api/records/gadget", { title: "new", score: 4 }, ["/score"]],
      ["POST", "/api/records/gadget", [{ title: "new" }, { title: "new", secret: "s" }], ["/1/secret"]],
    ];
    for (const [method, path, body, expectedPointers] of attempts) {
      const res = await server.request(method, path, body, outsider.headers);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(403);
      expect(res.body.code).toBe("FIELDS_NOT_WRITABLE");
      expect(sorted(pointers(res.body))).toEqual(expectedPointers);
    }
    expect(await gadgetRows()).toEqual(before);
    expect(await historyCount()).toBe(historyBefore);
    const allowed = await server.request("PATCH", `/api/records/gadget/${id}`, { title: "widget owner" }, outsider.headers);
    expect(allowed.status).toBe(200);
    expect(allowed.body.score).toBe(before.get(id)!.score);
    expect(allowed.body).not.toHaveProperty("secret");
    await setRoles(server, outsider.id, [org.roles.sales_rep!, probeRole]);
  });

  it("denies an entity created later to every role but admin", async () => {
    const later = entity("latecomer", [{ key: "name", type: "text", required: true }]);
    expect((await server.request("POST", "/api/meta/entities", { definitions: [later] })).status).toBe(201);
    const record = await server.request("POST", "/api/records/latecomer", { name: "first" });
    expect(record.status).toBe(201);
    await setPermissions(server, probeRole, probePermissions("all", { transfer: true }));
    for (const caller of callers) {
      const status = caller.name === "anonymous" ? 401 : 403;
      const tries = [
        await server.request("GET", "/api/records/latecomer", undefined, caller.headers),
        await server.request("GET", `/api/records/latecomer/${record.body.id}`, undefined, caller.headers),
        await server.request("GET", "/api/records/latecomer/aggregate", undefined, caller.headers),
        await server.request("GET", `/api/records/latecomer/${record.body.id}/history`, undefined, caller.headers),
        await server.request("POST", "/api/records/latecomer", { name: "mine" }, caller.headers),
        await server.request("PATCH", `/api/records/latecomer/${record.body.id}`, { name: "mine" }, caller.headers),
        await server.request("DELETE", `/api/records/latecomer/${record.body.id}`, undefined, caller.headers),
        await server.request("DELETE", "/api/records/latecomer", { ids: [record.body.id] }, caller.headers),
      ];
      expect(tries.map((t) => t.status), caller.name).toEqual(tries.map(() => status));
    }
    expect(await server.sql(`select name from data.latecomer`)).toEqual([{ name: "first" }]);
    const permissions = await server.request("GET", "/api/me/permissions", undefined, org.users.manager.headers);
    expect(Object.keys(permissions.body.entities)).toContain("gadget");
    expect(Object.keys(permissions.body.entities)).not.toContain("latecomer");
    expect((await server.request("GET", "/api/records/latecomer")).body.items).toHaveLength(1);
  });

  it("stops a deactivated user's session and token at once", async () => {
    const made = await server.request("POST", "/api/admin/users", { email: "leaver@org.test", name: "leaver", password: "leaver-password-1", roleIds: [probeRole] });
    expect(made.status).toBe(201);
    const session = await login(server, "leaver@org.test", "leaver-password-1");
    const token = await server.request("POST", "/api/me/tokens", { name: "leaver's" }, session.headers);
    expect(token.status).toBe(201);
    for (const headers of [session.headers, bearer(token.body.token)]) expect((await server.request("GET", "/api/records/gadget", undefined, headers)).status).toBe(200);
    expect((await server.request("PATCH", `/api/admin/users/${made.body.id}`, { active: false })).status).toBe(200);
    for (const headers of [session.headers, bearer(token.body.token)]) {
      expect((await server.request("GET", "/api/records/gadget", undefined, headers)).status).toBe(401);
      expect((await server.request("POST", "/api/records/gadget", { title: "after leaving" }, headers)).status).toBe(401);
      expect((await server.request("GET", "/api/me", undefined, headers)).status).toBe(401);
    }
    expect(await server.sql(`select 1 from data.gadget where title = 'after leaving'`)).toEqual([]);
  });
});
