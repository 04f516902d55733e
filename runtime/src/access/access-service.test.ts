import type { EntityDefinition } from "@crm/core";
import { describe, expect, it } from "vitest";
import type { Principal } from "../auth/principal.ts";
import type { Database } from "../db/database.ts";
import { ACCESS_CHANNEL, createAccessService } from "./access-service.ts";

const REP = "00000000-0000-4000-8000-0000000000a1";
const MATE = "00000000-0000-4000-8000-0000000000a2";
const ROLE = "00000000-0000-4000-8000-0000000000r1";

const account: EntityDefinition = { id: "account", key: "account", label: { en: "Account" }, fields: [{ id: "account-name", key: "name", type: "text", label: { en: "Name" } }] };

/** A database answering the subject query from `state`, counting queries and recording NOTIFYs. */
function fakeDatabase(kind: Database["kind"] = "postgres") {
  const state = { read: "team", team: [REP, MATE] };
  const calls = { subjects: 0, notified: [] as string[] };
  const listeners = new Map<string, (payload: string) => void>();
  const db = {
    kind,
    async query(text: string, params: unknown[] = []) {
      if (text.includes("pg_notify")) {
        calls.notified.push(text);
        return [];
      }
      calls.subjects++;
      const [userId] = params as [string | null];
      const roles = [{ id: ROLE, key: "rep", isAdmin: false, permissions: { entities: { account: { read: state.read } } } }];
      return [{ found: userId !== null, roles, team: userId ? state.team : [], department: [], subtree: [] }];
    },
    async listen(channel: string, onMessage: (payload: string) => void) {
      listeners.set(channel, onMessage);
    },
  } as unknown as Database;
  return { db, state, calls, listeners };
}

const rep: Principal = { kind: "user", userId: REP, sessionId: "s", roleIds: [ROLE] };

describe("createAccessService", () => {
  it("answers anonymous callers without a query", async () => {
    const { db, calls } = fakeDatabase();
    const access = await createAccessService({ db });
    expect(await access.subject({ kind: "anonymous" })).toEqual({ userId: null, roles: [], teamUserIds: [], departmentUserIds: [], subtreeUserIds: [] });
    expect(calls.subjects).toBe(0);
  });

  it("loads a subject once, shares concurrent loads, and includes the caller everywhere", async () => {
    const { db, calls } = fakeDatabase();
    const access = await createAccessService({ db });
    const [a, b] = await Promise.all([access.subject(rep), access.subject({ ...rep, sessionId: "other" })]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ userId: REP, teamUserIds: [REP, MATE], departmentUserIds: [REP], subtreeUserIds: [REP] });
    await access.subject(rep);
    expect(calls.subjects).toBe(1);
  });

  it("gives a role token without a user its role and no colleagues", async () => {
    const { db } = fakeDatabase();
    const access = await createAccessService({ db });
    const subject = await access.subject({ kind: "token", tokenId: "t", userId: null, roleIds: [ROLE] });
    expect(subject).toMatchObject({ userId: null, teamUserIds: [], departmentUserIds: [], subtreeUserIds: [] });
    expect(subject.roles.map((r) => r.key)).toEqual(["rep"]);
  });

  it("memoises entity access per role version and definition, and sees a changed role after changed()", async () => {
    const { db, state, calls } = fakeDatabase();
    const access = await createAccessService({ db });
    const first = await access.subject(rep);
    const other = await access.subject({ ...rep, userId: MATE });
    expect(access.entity(first, account)).toBe(access.entity(other, account));
    expect(access.entity(first, account).scopes.read).toBe("team");
    expect(access.entity(first, { ...account })).not.toBe(access.entity(first, account));

    state.read = "all";
    expect((await access.subject(rep)).roles[0]!.permissions.entities!.account!.read).toBe("team");
    await access.changed();
    expect(calls.notified).toEqual([`select pg_notify('${ACCESS_CHANNEL}', $1)`]);
    const after = await access.subject(rep);
    expect(after).not.toBe(first);
    expect(access.entity(after, account).scopes.read).toBe("all");
  });

  it("forgets when another process announces a change, and notifies only on PostgreSQL", async () => {
    const postgres = fakeDatabase();
    const access = await createAccessService({ db: postgres.db });
    const before = await access.subject(rep);
    postgres.listeners.get(ACCESS_CHANNEL)!("1");
    expect(await access.subject(rep)).not.toBe(before);
    expect(postgres.calls.notified).toEqual([]);

    const pglite = fakeDatabase("pglite");
    await (await createAccessService({ db: pglite.db })).changed();
    expect(pglite.calls.notified).toEqual([]);
    const quiet = fakeDatabase();
    await createAccessService({ db: quiet.db, listen: false });
    expect(quiet.listeners.size).toBe(0);
  });

  it("keeps at most maxSubjects, dropping the oldest", async () => {
    const { db, calls } = fakeDatabase();
    const access = await createAccessService({ db, maxSubjects: 2 });
    const users = ["u1", "u2", "u3"].map((userId) => ({ ...rep, userId }));
    for (const user of users) await access.subject(user);
    await access.subject(users[2]!);
    await access.subject(users[1]!);
    expect(calls.subjects).toBe(3);
    await access.subject(users[0]!);
    expect(calls.subjects).toBe(4);
  });

  it("does not keep a failed load", async () => {
    const { db, calls } = fakeDatabase();
    const query = db.query.bind(db);
    let fail = true;
    db.query = (async (text: string, params?: unknown[]) => {
      if (fail) {
        fail = false;
        throw new Error("connection lost");
      }
      return query(text, params);
    }) as Database["query"];
    const access = await createAccessService({ db });
    await expect(access.subject(rep)).rejects.toThrow("connection lost");
    expect((await access.subject(rep)).userId).toBe(REP);
    expect(calls.subjects).toBe(1);
  });
});
