import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FUZZ_SEED, TOTAL_CASES } from "./fuzz/support/budget.ts";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { login } from "./support/login.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";

/**
 * After a random sequence of writes through the HTTP API (by an administrator's token, a sales rep's
 * session, a sales rep's own token and a role token), many of which must fail and roll back, the
 * record history holds exactly the committed changes: one entry per changed record per request, none
 * for refused or rolled-back writes or for updates that changed nothing audited, each with its actor
 * and the per-field old and new values of an independent model (secrets redacted, unaudited fields
 * absent). 200 sequences per database by default (`FUZZ_CASES / 25`); `FUZZ_SEED` replays a run.
 */
const SEQUENCES = Math.max(1, Math.round(TOTAL_CASES / 25));

const options = (keys: string[]) => keys.map((key) => ({ key, label: { en: key } }));
const ITEM = entity("auditItem", [
  { key: "name", type: "text", required: true, maxLength: 40 },
  { key: "code", type: "text", unique: true },
  { key: "qty", type: "integer", min: 0 },
  { key: "price", type: "currency", defaultCurrency: "EUR" },
  { key: "tags", type: "multiSelect", options: options(["a", "b", "c"]) },
  { key: "stage", type: "select", options: options(["open", "won"]) },
  { key: "secretNote", type: "text", secret: true },
  { key: "views", type: "integer", audit: false },
  { key: "parent", type: "relation", relation: "manyToOne", target: "auditItem", onDelete: "restrict" },
]);
const PATH = "/api/records/auditItem";
const FIELDS = ITEM.fields.map((f) => f.key);
const AUDITED = ["ownerId", ...FIELDS.filter((key) => key !== "views")];
const KEY_OF_ID = new Map<string, string>([["ownerId", "ownerId"], ...ITEM.fields.map((f): [string, string] => [f.id, f.key])]);
const fieldId = (key: string) => ITEM.fields.find((f) => f.key === key)!.id;
const PASSWORD = "a-long-password-for-audits";
const MISSING = "00000000-0000-4000-8000-00000000a0d1";
const LONG_NAME = "x".repeat(41);

type Values = Record<string, unknown>;
type Row = { id: string; ownerId: string | null; version: number; values: Values };
type Actor = { kind: string; id: string; userId: string | null };
type CallerName = "admin" | "rep1" | "rep2" | "feed";
type Change = { old: unknown; new: unknown };
type Entry = { requestId: string; recordId: string; action: "create" | "update" | "delete"; actor: Actor; changes: Record<string, Change> };

interface Caller {
  name: CallerName;
  headers: Record<string, string>;
  actor: Actor;
  userId: string | null;
  admin: boolean;
  readOnly: string[];
  canDelete: boolean;
  reads(owner: string | null): boolean;
  changes(owner: string | null): boolean;
}

/** Who may do what, as the roles set up below grant it. */
interface World {
  /** What deleting a record still referred to answers (see the pinned PostgreSQL bug below). */
  inUse: number[];
  callers: Record<CallerName, Caller>;
  owners: Record<"admin" | "rep1" | "rep2" | "gone", string>;
}

// ---- The generated operations: abstract, resolved against the model when they run. ----

type OwnerChoice = "self" | "admin" | "rep1" | "rep2" | "gone" | "none";
/** A field value, `{ parent: n }` for the n-th known record (0: none), `{ owner }` for an owner. */
type AbstractValues = Array<[string, unknown]>;
type Version = "none" | "current" | "stale";
type Op =
  | { kind: "create"; caller: CallerName; items: AbstractValues[]; batch: boolean; idempotent: boolean }
  | { kind: "update"; caller: CallerName; target: number; values: AbstractValues; ifMatch: Version }
  | { kind: "updateMany"; caller: CallerName; items: Array<{ target: number; values: AbstractValues; version: Version }> }
  | { kind: "delete"; caller: CallerName; target: number; ifMatch: Version }
  | { kind: "deleteMany"; caller: CallerName; targets: number[] }
  | { kind: "replay"; index: number; sameBody: boolean; caller: CallerName | null };

/** Mostly valid: one value in ten or so is refused (422), so batches still often commit. */
const nameArb = fc.constantFrom<unknown>("n1", "n2", "n3", "n1", "n2", "n3", "n1", "n2", "n3", LONG_NAME);
const callerArb = fc.constantFrom<CallerName>("admin", "admin", "rep1", "rep1", "rep2", "rep2", "feed");
const fieldArb: fc.Arbitrary<[string, unknown]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constant("name"), nameArb) },
  { weight: 4, arbitrary: fc.tuple(fc.constant("code"), fc.constantFrom<unknown>(null, "c1", "c2", "c3", "c4")) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("qty"), fc.constantFrom<unknown>(null, 0, 1, 2, 2, 3, 3, -1)) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("price"), fc.constantFrom<unknown>(null, { amount: 1, currency: "EUR" }, { currency: "EUR", amount: 1 }, { amount: 2.5, currency: "EUR" }, { amount: 1, currency: "CHF" })) },
  { weight: 3, arbitrary: fc.tuple(fc.constant("tags"), fc.constantFrom<unknown>(null, [], ["a"], ["a", "b"], ["b", "a"], ["c"], ["a", "b", "c"], ["a", "a"])) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("stage"), fc.constantFrom<unknown>(null, "open", "won")) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("secretNote"), fc.constantFrom<unknown>(null, "s1", "s2")) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("views"), fc.constantFrom<unknown>(null, 0, 5)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("parent"), fc.nat(6).map((n) => ({ parent: n }))) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("ownerId"), fc.constantFrom<OwnerChoice>("self", "self", "admin", "rep1", "rep2", "gone", "none").map((owner) => ({ owner }))) },
);
const changesArb = fc.array(fieldArb, { maxLength: 3 });
const newItemArb = fc.tuple(nameArb, changesArb).map(([name, rest]): AbstractValues => [["name", name], ...rest]);
const versionArb = fc.constantFrom<Version>("none", "none", "current", "stale");
const target = fc.nat(40);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("create" as const), caller: callerArb, items: fc.array(newItemArb, { minLength: 1, maxLength: 1 }), batch: fc.constant(false), idempotent: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("create" as const), caller: callerArb, items: fc.array(newItemArb, { minLength: 1, maxLength: 4 }), batch: fc.constant(true), idempotent: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("update" as const), caller: callerArb, target, values: changesArb, ifMatch: versionArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("updateMany" as const), caller: callerArb, items: fc.array(fc.record({ target, values: changesArb, version: versionArb }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), caller: callerArb, target, ifMatch: versionArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteMany" as const), caller: callerArb, targets: fc.array(target, { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replay" as const), index: fc.nat(), sameBody: fc.boolean(), caller: fc.option(callerArb, { freq: 4 }) }) },
);

// ---- The model: the committed records, idempotency keys, and the history they must have produced. ----

/** A value as history compares it: no value is null, a set is sorted, an amount is a number. */
function canon(key: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (key === "tags") return (value as string[]).length === 0 ? null : [...(value as string[])].sort();
  if (key === "price") {
    const money = value as { amount: number | string; currency: string };
    return { amount: Number(money.amount), currency: money.currency };
  }
  return value;
}

/** The audited changes between two versions of a record, written apart from the server's own diff. */
function expectedChanges(before: Row | null, after: Row | null): Record<string, Change> {
  const side = (row: Row | null, key: string) => (row ? canon(key, key === "ownerId" ? row.ownerId : row.values[key]) : null);
  const changes: Record<string, Change> = {};
  for (const key of AUDITED) {
    const [old, next] = [side(before, key), side(after, key)];
    if (JSON.stringify(old) === JSON.stringify(next)) continue;
    const shown = (value: unknown) => (key === "secretNote" && value !== null ? "[redacted]" : value);
    changes[key] = { old: shown(old), new: shown(next) };
  }
  return changes;
}

function canonChanges(changes: Record<string, Change>): Record<string, Change> {
  return Object.fromEntries(Object.entries(changes).map(([key, c]) => [key, { old: canon(key, c.old), new: canon(key, c.new) }]));
}

class Model {
  live = new Map<string, Row>();
  /** Every id created in this sequence, deleted or not, in order: what targets pick from. */
  known: string[] = [];
  /** Committed idempotent creates by caller and key: the body as sent and the ids created. */
  keys = new Map<string, { body: string; ids: string[] }>();
  /** Idempotent create requests sent, for replays. */
  sentKeys: Array<{ caller: CallerName; key: string; body: unknown }> = [];
  expected: Entry[] = [];
  /** Successful updates of a record that changed nothing audited (no entry expected). */
  silent = 0;
  succeeded = new Set<string>();
  failed = new Set<string>();

  /** Mostly a live record; one pick in eight a deleted one, or an id that never existed. */
  pick(n: number): string {
    const live = [...this.live.keys()];
    if (n % 8 === 7 || live.length === 0) return this.known[n % (this.known.length + 1)] ?? MISSING;
    return live[n % live.length]!;
  }

  /** Whether a live record outside `ids` refers to one of them (ON DELETE RESTRICT refuses then). */
  referencedFrom(ids: ReadonlySet<string>): boolean {
    return [...this.live.values()].some((row) => !ids.has(row.id) && ids.has(row.values["parent"] as string));
  }
}

/** The statuses a write may answer, and what it commits when it succeeds. */
interface Prediction {
  statuses: number[];
  commit?(requestId: string, body: any): void;
}

/** Database-level failures of writing `rows` into `state`: a taken code (409) or a parent that is gone (422). */
function constraintStatuses(state: ReadonlyMap<string, Row>, rows: Row[]): number[] {
  const statuses = new Set<number>();
  const codes = new Map<string, string>();
  for (const row of state.values()) if (row.values["code"] != null) codes.set(row.values["code"] as string, row.id);
  for (const row of rows) {
    const code = row.values["code"] as string | null;
    if (code != null) {
      const holder = codes.get(code);
      if (holder !== undefined && holder !== row.id) statuses.add(409);
      codes.set(code, row.id);
    }
    const parent = row.values["parent"] as string | null;
    if (parent != null && parent !== row.id && !state.has(parent) && !rows.some((r) => r.id === parent)) statuses.add(422);
  }
  return [...statuses];
}

function invalid(values: Values): boolean {
  const tags = values["tags"] as string[] | null | undefined;
  return values["name"] === LONG_NAME || (typeof values["qty"] === "number" && values["qty"] < 0) || (Array.isArray(tags) && new Set(tags).size !== tags.length);
}

const writesReadOnly = (caller: Caller, values: Values) => !caller.admin && caller.readOnly.some((key) => values[key] !== undefined);
/** Giving the record to someone else: only administrators may (no other role here has transfer). */
const transfers = (caller: Caller, values: Values, current: string | null) => !caller.admin && values["ownerId"] !== undefined && values["ownerId"] !== current;

function created(caller: Caller, values: Values, id: string): Row {
  const row: Row = { id, ownerId: values["ownerId"] !== undefined ? (values["ownerId"] as string | null) : caller.userId, version: 1, values: {} };
  for (const key of FIELDS) row.values[key] = values[key] ?? null;
  return row;
}

function updated(row: Row, values: Values): Row {
  const next: Row = { ...row, version: row.version + 1, values: { ...row.values } };
  for (const [key, value] of Object.entries(values)) {
    if (key === "ownerId") next.ownerId = value as string | null;
    else next.values[key] = value;
  }
  return next;
}

/** `POST`: one record or a batch, perhaps with an Idempotency-Key. */
function predictCreate(model: Model, world: World, caller: Caller, items: Values[], idempotency?: { key: string; body: string }): Prediction {
  if (idempotency) {
    const done = model.keys.get(`${caller.name}|${idempotency.key}`);
    if (done && done.body !== idempotency.body) return { statuses: [422] };
    if (done) {
      return {
        statuses: [201],
        commit: (_requestId, body) => expect((body.items ?? [body]).map((r: { id: string }) => r.id), "a replay answers the first response").toEqual(done.ids),
      };
    }
  }
  if (items.some((values) => writesReadOnly(caller, values) || transfers(caller, values, caller.userId))) return { statuses: [403] };
  if (items.some(invalid)) return { statuses: [422] };
  if (items.some((values) => values["ownerId"] === world.owners.gone)) return { statuses: [422] };
  const rows = items.map((values, i) => created(caller, values, `new-${i}`));
  const failures = constraintStatuses(model.live, rows);
  if (failures.length) return { statuses: failures };
  return {
    statuses: [201],
    commit(requestId, body) {
      const records = (body.items ?? [body]) as Array<Record<string, unknown> & { id: string }>;
      expect(records).toHaveLength(items.length);
      records.forEach((record, i) => {
        const row = { ...rows[i]!, id: record.id };
        expectRecord(record, row);
        model.live.set(row.id, row);
        model.known.push(row.id);
        model.expected.push({ requestId, recordId: row.id, action: "create", actor: caller.actor, changes: expectedChanges(null, row) });
      });
      if (idempotency) model.keys.set(`${caller.name}|${idempotency.key}`, { body: idempotency.body, ids: records.map((r) => r.id) });
    },
  };
}

/** `PATCH` of one record or of a batch: every item in order against the state the earlier ones left. */
function predictUpdates(model: Model, world: World, caller: Caller, items: Array<{ id: string; values: Values; version: number | undefined }>): Prediction {
  if (items.some((item) => writesReadOnly(caller, item.values))) return { statuses: [403] };
  if (items.some((item) => invalid(item.values))) return { statuses: [422] };
  const state = new Map(model.live);
  const steps: Array<{ before: Row; after: Row }> = [];
  for (const item of items) {
    const before = state.get(item.id);
    if (!before || !caller.reads(before.ownerId)) return { statuses: [404] };
    if (!caller.changes(before.ownerId)) return { statuses: [403] };
    if (item.version !== undefined && item.version !== before.version) return { statuses: [412] };
    if (transfers(caller, item.values, before.ownerId)) return { statuses: [403] };
    if (item.values["ownerId"] === world.owners.gone && before.ownerId !== world.owners.gone) return { statuses: [422] };
    const after = updated(before, item.values);
    const failures = constraintStatuses(new Map([...state].filter(([id]) => id !== after.id)), [after]);
    if (failures.length) return { statuses: failures };
    state.set(after.id, after);
    steps.push({ before, after });
  }
  return {
    statuses: [200],
    commit(requestId, body) {
      const records = (body.items ?? [body]) as Array<Record<string, unknown> & { id: string }>;
      records.forEach((record, i) => expectRecord(record, steps[i]!.after));
      for (const { before, after } of steps) {
        const changes = expectedChanges(before, after);
        if (Object.keys(changes).length) model.expected.push({ requestId, recordId: after.id, action: "update", actor: caller.actor, changes });
        else model.silent++;
      }
      model.live = state;
    },
  };
}

/** `DELETE` of one record (perhaps with If-Match) or of a batch (`many`). */
function predictDeletes(model: Model, world: World, caller: Caller, ids: string[], options: { many: boolean; version?: number | undefined }): Prediction {
  if (!caller.canDelete) return { statuses: [403] };
  const rows = ids.map((id) => model.live.get(id));
  if (rows.some((row) => !row || !caller.reads(row.ownerId))) return { statuses: [404] };
  if (rows.some((row) => !caller.changes(row!.ownerId))) return { statuses: [403] };
  if (options.version !== undefined && rows[0]!.version !== options.version) return { statuses: [412] };
  const gone = new Set(ids);
  // Records that refer to each other (or to themselves) go together in one statement.
  if (model.referencedFrom(gone)) return { statuses: world.inUse };
  return {
    statuses: [options.many ? 200 : 204],
    commit(requestId, body) {
      if (options.many) expect(body.deleted).toBe(gone.size);
      for (const id of gone) {
        model.expected.push({ requestId, recordId: id, action: "delete", actor: caller.actor, changes: expectedChanges(model.live.get(id)!, null) });
        model.live.delete(id);
      }
    },
  };
}

function expectRecord(record: Record<string, unknown>, row: Row): void {
  const shown = (r: Record<string, unknown>) => Object.fromEntries(["ownerId", ...FIELDS].map((key) => [key, canon(key, r[key])]));
  expect(shown(record), "the record the server answered").toEqual(shown({ ...row.values, ownerId: row.ownerId }));
  expect(record["version"]).toBe(row.version);
}

// ---- Running one sequence. ----

interface Sender {
  (caller: Caller, method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; requestId: string; body: any }>;
}

function resolve(model: Model, world: World, caller: Caller, values: AbstractValues): Values {
  const out: Values = {};
  for (const [key, value] of values) {
    if (key === "parent") {
      const n = (value as { parent: number }).parent;
      const id = n === 0 ? null : model.pick(n - 1);
      out[key] = id === MISSING ? null : id;
    } else if (key === "ownerId") {
      const owner = (value as { owner: OwnerChoice }).owner;
      out[key] = owner === "self" ? caller.userId : owner === "none" ? null : world.owners[owner];
    } else out[key] = value;
  }
  return out;
}

async function runOp(op: Op, model: Model, world: World, send: Sender, nonce: string): Promise<string | undefined> {
  let caller: Caller;
  let request: { method: string; path: string; body: unknown; headers?: Record<string, string> };
  let prediction: Prediction;
  if (op.kind === "replay") {
    const sent = model.sentKeys[op.index % Math.max(1, model.sentKeys.length)];
    if (!sent) return;
    caller = world.callers[op.caller ?? sent.caller];
    const body = op.sameBody ? sent.body : Array.isArray(sent.body) ? [...sent.body, { name: "n9" }] : { ...(sent.body as object), name: "n9" };
    const items = (Array.isArray(body) ? body : [body]) as Values[];
    prediction = predictCreate(model, world, caller, items, { key: sent.key, body: JSON.stringify(body) });
    request = { method: "POST", path: PATH, body, headers: { "idempotency-key": sent.key } };
  } else if (op.kind === "create") {
    caller = world.callers[op.caller];
    const items = op.items.map((values) => resolve(model, world, caller, values));
    const body = op.batch ? items : items[0];
    const key = op.idempotent ? `${nonce}-${model.sentKeys.length}` : undefined;
    if (key) model.sentKeys.push({ caller: caller.name, key, body });
    prediction = predictCreate(model, world, caller, items, key ? { key, body: JSON.stringify(body) } : undefined);
    request = { method: "POST", path: PATH, body, headers: key ? { "idempotency-key": key } : {} };
  } else if (op.kind === "update" || op.kind === "updateMany") {
    caller = world.callers[op.caller];
    const raw = op.kind === "update" ? [{ target: op.target, values: op.values, version: op.ifMatch }] : op.items;
    const items = raw.map((item) => {
      const id = model.pick(item.target);
      const current = model.live.get(id)?.version ?? 1;
      const version = item.version === "none" ? undefined : item.version === "current" ? current : current + 1;
      return { id, values: resolve(model, world, caller, item.values), version };
    });
    prediction = predictUpdates(model, world, caller, items);
    request =
      op.kind === "update"
        ? { method: "PATCH", path: `${PATH}/${items[0]!.id}`, body: items[0]!.values, headers: items[0]!.version === undefined ? {} : { "if-match": `"${items[0]!.version}"` } }
        : { method: "PATCH", path: PATH, body: items.map((item) => ({ id: item.id, ...(item.version === undefined ? {} : { version: item.version }), ...item.values })) };
  } else if (op.kind === "delete") {
    caller = world.callers[op.caller];
    const id = model.pick(op.target);
    const current = model.live.get(id)?.version ?? 1;
    const version = op.ifMatch === "none" ? undefined : op.ifMatch === "current" ? current : current + 1;
    prediction = predictDeletes(model, world, caller, [id], { many: false, version });
    request = { method: "DELETE", path: `${PATH}/${id}`, body: undefined, headers: version === undefined ? {} : { "if-match": `"${version}"` } };
  } else {
    caller = world.callers[op.caller];
    const ids = op.targets.map((n) => model.pick(n));
    prediction = predictDeletes(model, world, caller, ids, { many: true });
    request = { method: "DELETE", path: PATH, body: { ids } };
  }
  const response = await send(caller, request.method, request.path, request.body, request.headers);
  const what = `${caller.name} ${request.method} ${request.path} ${JSON.stringify(request.body)} ${JSON.stringify(request.headers ?? {})} → ${response.status} ${JSON.stringify(response.body)}`;
  expect(prediction.statuses, what).toContain(response.status);
  if (response.status < 300) {
    model.succeeded.add(response.requestId);
    prediction.commit?.(response.requestId, response.body);
  } else model.failed.add(response.requestId);
  return `${op.kind}${"batch" in op && op.batch ? " batch" : ""} by ${caller.name}: ${response.status}${response.status >= 400 ? ` ${response.body.code}` : ""}`;
}

/** The history rows of the test entity, as the model's entries. */
async function historyRows(server: TestServer): Promise<Array<Entry & { id: number }>> {
  const rows = await server.sql<{ id: string; record_id: string; action: Entry["action"]; actor_kind: string; actor_id: string; actor_user_id: string | null; request_id: string; changes: unknown }>(
    `select id, record_id, action, actor_kind, actor_id, actor_user_id, request_id, changes from record_history where entity_id = $1 order by id`,
    [ITEM.id],
  );
  return rows.map((row) => {
    const stored = (typeof row.changes === "string" ? JSON.parse(row.changes) : row.changes) as Record<string, Change>;
    const changes = Object.fromEntries(Object.entries(stored).map(([id, change]) => [KEY_OF_ID.get(id) ?? `unknown field ${id}`, change]));
    return { id: Number(row.id), requestId: row.request_id, recordId: row.record_id, action: row.action, actor: { kind: row.actor_kind, id: row.actor_id, userId: row.actor_user_id }, changes };
  });
}

/** Entries of one request in a stable order, for comparing multisets. */
const ordered = (entries: Entry[]) => entries.map((e) => ({ recordId: e.recordId, action: e.action, actor: e.actor, changes: canonChanges(e.changes) })).sort((a, b) => a.recordId.localeCompare(b.recordId) || a.action.localeCompare(b.action));

async function checkHistory(server: TestServer, model: Model): Promise<void> {
  const rows = await historyRows(server);
  const byRequest = new Map<string, Entry[]>();
  for (const row of rows) byRequest.set(row.requestId, [...(byRequest.get(row.requestId) ?? []), row]);
  const expected = new Map<string, Entry[]>();
  for (const entry of model.expected) expected.set(entry.requestId, [...(expected.get(entry.requestId) ?? []), entry]);

  for (const requestId of byRequest.keys()) expect(model.failed.has(requestId), `history of a refused request ${requestId}`).toBe(false);
  expect([...byRequest.keys()], "requests with history, in order").toEqual([...expected.keys()]);
  for (const [requestId, entries] of expected) expect(ordered(byRequest.get(requestId) ?? []), `history of request ${requestId}`).toEqual(ordered(entries));
  let last = 0;
  for (const requestId of expected.keys()) {
    const ids = byRequest.get(requestId)!.map((e) => (e as Entry & { id: number }).id);
    expect(Math.min(...ids), "one request's entries follow the previous request's").toBeGreaterThan(last);
    last = Math.max(...ids);
  }

  // The committed state is the model's.
  const list = await server.request("GET", `${PATH}?limit=200`);
  expect(list.status).toBe(200);
  expect(new Set((list.body.items as Array<{ id: string }>).map((r) => r.id))).toEqual(new Set(model.live.keys()));
  for (const record of list.body.items) expectRecord(record, model.live.get(record.id)!);

  // The history route shows the same entries, newest first (the first and the last record touched).
  for (const id of new Set([model.known[0], model.known.at(-1)].filter((x): x is string => x !== undefined))) {
    const res = await server.request("GET", `${PATH}/${id}/history?limit=200`);
    expect(res.status).toBe(200);
    const mine = rows.filter((row) => row.recordId === id).reverse();
    expect(res.body.items.map((i: { id: number; action: string; requestId: string; changes: Record<string, Change> }) => [i.id, i.action, i.requestId, canonChanges(i.changes)])).toEqual(
      mine.map((row) => [row.id, row.action, row.requestId, canonChanges(row.changes)]),
    );
  }
}

// ---- Setting up the world through the admin API. ----

async function buildWorld(server: TestServer, inUse: number[]): Promise<World> {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await server.request("POST", path, body, headers);
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await post("/api/meta/entities", { definition: ITEM });
  const roles = (await server.request("GET", "/api/admin/roles")).body.items as Array<{ id: string; key: string; permissions: { entities: Record<string, unknown> } }>;
  const rep = roles.find((r) => r.key === "sales_rep")!;
  // As an administrator grants a new entity to a shipped role: the team's records, own changes, stage read-only.
  const grant = { read: "team", update: "own", delete: "own", create: true, fields: { [fieldId("stage")]: "read" } };
  const patched = await server.request("PATCH", `/api/admin/roles/${rep.id}`, { permissions: { ...rep.permissions, entities: { ...rep.permissions.entities, [ITEM.id]: grant } } });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  const feedRole = await post("/api/admin/roles", { key: "audit_feed", name: "Audit feed", permissions: { entities: { [ITEM.id]: { read: "all", update: "all", create: true, fields: { [fieldId("secretNote")]: "read" } } } } });
  const user = async (name: string, active = true) => (await post("/api/admin/users", { email: `${name}@audit.test`, name, password: PASSWORD, roleIds: [rep.id], active })).id as string;
  const owners = { admin: server.admin.userId, rep1: await user("rep1"), rep2: await user("rep2"), gone: await user("gone", false) };
  await post("/api/admin/teams", { name: "Audit team", memberIds: [owners.rep1, owners.rep2] });

  const rep1 = await login(server, "rep1@audit.test", PASSWORD);
  const rep2 = await login(server, "rep2@audit.test", PASSWORD);
  const rep2Token = await post("/api/me/tokens", { name: "rep2's script" }, rep2.headers);
  const feedToken = await post("/api/admin/tokens", { name: "audit feed", roleId: feedRole.id });
  const adminTokens = (await server.request("GET", "/api/me/tokens")).body.items as Array<{ id: string; name: string }>;

  const team = new Set([owners.rep1, owners.rep2]);
  const repCaller = (name: "rep1" | "rep2", headers: Record<string, string>, actor: Actor): Caller => ({
    name,
    headers,
    actor,
    userId: owners[name],
    admin: false,
    readOnly: ["stage"],
    canDelete: true,
    reads: (owner) => owner !== null && team.has(owner),
    changes: (owner) => owner === owners[name],
  });
  return {
    inUse,
    owners,
    callers: {
      admin: { name: "admin", headers: {}, actor: { kind: "token", id: adminTokens.find((t) => t.name === "test suite")!.id, userId: owners.admin }, userId: owners.admin, admin: true, readOnly: [], canDelete: true, reads: () => true, changes: () => true },
      rep1: repCaller("rep1", rep1.headers, { kind: "user", id: owners.rep1, userId: owners.rep1 }),
      rep2: repCaller("rep2", { authorization: `Bearer ${rep2Token.token}` }, { kind: "token", id: rep2Token.id, userId: owners.rep2 }),
      feed: { name: "feed", headers: { authorization: `Bearer ${feedToken.token}` }, actor: { kind: "token", id: feedToken.id, userId: null }, userId: null, admin: false, readOnly: ["secretNote"], canDelete: false, reads: () => true, changes: () => true },
    },
  };
}

/**
 * A delete also changes the records that refer to the deleted one, through the database's ON DELETE
 * rules: those changes are committed by the same request, so its history should hold them too.
 */
const NODE = entity("auditNode", [
  { key: "name", type: "text" },
  { key: "softParent", type: "relation", relation: "manyToOne", target: "auditNode", onDelete: "setNull" },
  { key: "hardParent", type: "relation", relation: "manyToOne", target: "auditNode", onDelete: "cascade" },
  { key: "peers", type: "relation", relation: "manyToMany", target: "auditNode" },
  { key: "heldBy", type: "relation", relation: "manyToOne", target: "auditNode", onDelete: "restrict" },
]);

describe.each(databaseTargets)("history of what a delete does to other records on $name", (target) => {
  const server = useTestServer(target, { seed: false });
  let deleted: { parent: string; requestId: string; soft: string; hard: string; peer: string } | undefined;

  const create = async (body: object) => (await server.request("POST", "/api/records/auditNode", body)).body.id as string;

  /** Deletes a parent that one record refers to by each kind of reference; once for the suite. */
  async function deleteParent() {
    if (deleted) return deleted;
    expect((await server.request("POST", "/api/meta/entities", { definition: NODE })).status).toBe(201);
    const parent = await create({ name: "parent" });
    const [soft, hard, peer] = [await create({ name: "soft", softParent: parent }), await create({ name: "hard", hardParent: parent }), await create({ name: "peer", peers: [parent] })];
    const res = await server.request("DELETE", `/api/records/auditNode/${parent}`);
    expect(res.status).toBe(204);
    deleted = { parent, requestId: res.headers.get("x-request-id")!, soft, hard, peer };
    return deleted;
  }

  const entriesOf = async (recordId: string, requestId: string) =>
    server.sql<{ action: string; changes: unknown }>(`select action, changes from record_history where record_id = $1 and request_id = $2`, [recordId, requestId]);

  it("refuses to delete a record its own entity still refers to: 409 RECORD_IN_USE, nothing recorded", async () => {
    await deleteParent();
    const held = await create({ name: "held" });
    await create({ name: "holder", heldBy: held });
    const res = await server.request("DELETE", `/api/records/auditNode/${held}`);
    expect(await entriesOf(held, res.headers.get("x-request-id")!)).toEqual([]);
    expect(res.body).toMatchObject({ status: 409, code: "RECORD_IN_USE" });
  });

  it("records the deleted record itself", async () => {
    const { parent, requestId } = await deleteParent();
    expect((await entriesOf(parent, requestId)).map((e) => e.action)).toEqual(["delete"]);
  });

  // ON DELETE SET NULL / CASCADE and link-table cascades change other records inside the delete's
  // transaction: each is in the history of the same request.
  it("records the reference ON DELETE SET NULL cleared, as an update of the referring record", async () => {
    const { soft, requestId } = await deleteParent();
    const record = await server.request("GET", `/api/records/auditNode/${soft}`);
    expect(record.body.softParent).toBeNull();
    expect(await entriesOf(soft, requestId)).toMatchObject([{ action: "update", changes: { [NODE.fields[1]!.id]: { new: null } } }]);
  });

  it("records the records ON DELETE CASCADE removed, as deletes", async () => {
    const { hard, requestId } = await deleteParent();
    expect((await server.request("GET", `/api/records/auditNode/${hard}`)).status).toBe(404);
    expect((await entriesOf(hard, requestId)).map((e) => e.action)).toEqual(["delete"]);
  });

  it("records the many-to-many links the delete removed, as an update of the other side", async () => {
    const { peer, requestId } = await deleteParent();
    expect((await server.request("GET", `/api/records/auditNode/${peer}`)).body.peers).toEqual([]);
    expect((await entriesOf(peer, requestId)).map((e) => e.action)).toEqual(["update"]);
  });
});

describe.each(databaseTargets)("audit completeness on $name", (target) => {
  const server = useTestServer(target, { seed: false });
  let world: World;

  beforeAll(async () => {
    // 409 RECORD_IN_USE; PostgreSQL answers 422 INVALID_REFERENCE for a self-referencing entity (pinned above).
    world = await buildWorld(server, [409]);
  });

  const send: Sender = async (caller, method, path, body, headers = {}) => {
    const res = await server.request(method, path, body, { ...caller.headers, ...headers });
    const requestId = res.headers.get("x-request-id");
    if (!requestId) throw new Error(`no x-request-id on ${method} ${path}`);
    return { status: res.status, requestId, body: res.body };
  };

  it("after random writes and rollbacks, the history holds exactly the committed changes", async () => {
    console.log(`[fuzz] audit completeness on ${target.name}: ${SEQUENCES} sequences, seed ${FUZZ_SEED} (replay with FUZZ_SEED=${FUZZ_SEED})`);
    let run = 0;
    const tally = { requests: 0, committed: 0, refused: 0, entries: 0, silentUpdates: 0 };
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 2, maxLength: 16 }), async (ops) => {
        await server.sql(`truncate data."auditItem"`);
        await server.sql(`delete from record_history where entity_id = $1`, [ITEM.id]);
        const model = new Model();
        const nonce = `audit-${run++}`;
        // Every sequence starts from records of each owner (and one of no one), so scopes come into play.
        const start: Op = { kind: "create", caller: "admin", batch: true, idempotent: false, items: (["self", "rep1", "rep2", "none"] as const).map((owner, i): AbstractValues => [["name", `seed${i}`], ["ownerId", { owner }]]) };
        for (const op of [start, ...ops]) {
          const outcome = await runOp(op, model, world, send, nonce);
          if (outcome) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
        await checkHistory(server, model);
        tally.requests += model.succeeded.size + model.failed.size;
        tally.committed += model.succeeded.size;
        tally.refused += model.failed.size;
        tally.entries += model.expected.length;
        tally.silentUpdates += model.silent;
      }),
      { numRuns: SEQUENCES, seed: FUZZ_SEED },
    );
    console.log(`[fuzz] audit completeness on ${target.name}: ${JSON.stringify(tally)}`);
    if (process.env.FUZZ_STATS === "1") console.log([...outcomes].sort().map(([outcome, n]) => `${n}\t${outcome}`).join("\n"));
    // The generators reach both sides: most sequences commit something and refuse something.
    expect(tally.committed).toBeGreaterThan(SEQUENCES);
    expect(tally.refused).toBeGreaterThan(SEQUENCES / 2);
    expect(tally.silentUpdates).toBeGreaterThan(SEQUENCES / 20);
  }, 300_000);
});
