// The baseline of api-vs-handwritten.bench.ts: what a developer would write by hand for one table of
// the benchmark entity with Hono and postgres.js, meeting the same requirements as the generated API:
// every request carries an API token, looked up per request with the runtime's statement (and its
// last-used update), and only administrators get in (the benchmark acts as one); a create is owned by
// the caller and writes its history row in the same statement. Same SQL as the generated API (record
// JSON built by jsonb_build_object, keyset paging, insert with casts RETURNING the record), same JSON.
// Standalone: DATABASE_URL=… TABLE=benchItem PORT=0 DB_POOL_SIZE=20 node tests/bench/handwritten-server.ts
import { createHash, randomUUID } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DB_POOL_SIZE ?? 10), onnotice: () => {} });
const tableKey = process.env.TABLE ?? "benchItem";
const table = sql(`data.${tableKey}`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ["open", "won", "lost", "hold"];

const recordJson = () => sql`jsonb_build_object(
  'id', t."id",
  'createdAt', to_char(t."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'updatedAt', to_char(t."updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'createdBy', t."createdBy",
  'updatedBy', t."updatedBy",
  'version', t."version",
  'ownerId', t."ownerId",
  'name', t."name",
  'email', t."email",
  'status', t."status",
  'amount', t."amount",
  'quantity', t."quantity",
  'price', CASE WHEN t."price" IS NULL THEN NULL ELSE jsonb_build_object('amount', t."price", 'currency', t."price_currency") END,
  'active', t."active",
  'dueDate', to_char(t."dueDate", 'YYYY-MM-DD'),
  'createdOn', to_char(t."createdOn" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'score', t."score",
  'notes', t."notes",
  'code', t."code"
)`;

type Item = { id: string; version: number } & Record<string, unknown>;
type Env = { Variables: { tokenId: string; userId: string } };

/** The history stores changes by field id; the benchmark entity's ids are `f-<key>` (see bench-entity.ts). */
const HISTORY_FIELDS = `(VALUES ('ownerId', 'ownerId'), ${["name", "email", "status", "amount", "quantity", "price", "active", "dueDate", "createdOn", "score", "notes", "code"].map((k) => `('${k}', 'f-${k.toLowerCase()}')`).join(", ")}) AS f("key", "id")`;
const TOKEN_FORMAT = /^crm_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const adminRoles = new Set((await sql<{ id: string }[]>`select id::text as id from roles where is_admin`).map((r) => r.id));

const app = new Hono<Env>();

app.use(async (c, next) => {
  const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token || !TOKEN_FORMAT.test(token)) return c.json({ title: "Unauthorized" }, 401);
  const hash = createHash("sha256").update(token, "utf8").digest("hex");
  // The runtime's lookup (token-store.ts findApiToken), last use recorded at most once a minute.
  const [row] = await sql<{ id: string; user_id: string | null; revoked: boolean; expired: boolean; stale: boolean; active: boolean; role_ids: string[] }[]>`
    select t.id, t.user_id, t.revoked_at is not null as revoked, coalesce(t.expires_at <= now(), false) as expired,
           coalesce(t.last_used_at < now() - interval '1 minute', true) as stale, coalesce(u.active, true) as active,
           case when t.user_id is null then array[t.role_id::text]
                else array(select ur.role_id::text from user_roles ur where ur.user_id = t.user_id order by 1) end as role_ids
      from api_tokens t left join users u on u.id = t.user_id
     where t.token_hash = ${hash}`;
  if (!row || row.revoked || row.expired || !row.active || !row.user_id) return c.json({ title: "Unauthorized" }, 401);
  if (row.stale) await sql`update api_tokens set last_used_at = now() where id = ${row.id}`;
  if (!row.role_ids.some((id) => adminRoles.has(id))) return c.json({ title: "Forbidden" }, 403);
  c.set("tokenId", row.id);
  c.set("userId", row.user_id);
  await next();
});

app.get("/items/:id", async (c) => {
  const id = c.req.param("id");
  if (!UUID.test(id)) return c.json({ title: "Not found" }, 404);
  const [row] = await sql<{ r: Item }[]>`SELECT ${recordJson()} AS r FROM ${table} AS t WHERE t."id" = ${id}::uuid`;
  if (!row) return c.json({ title: "Not found" }, 404);
  return c.json(row.r, 200, { etag: `"${row.r.version}"` });
});

app.get("/items", async (c) => {
  const status = c.req.query("status") ?? "open";
  const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 50) || 50, 1), 200);
  const cursor = c.req.query("cursor");
  const after = cursor ? (JSON.parse(Buffer.from(cursor, "base64url").toString()) as [string, string]) : undefined;
  const rows = after
    ? await sql<{ r: Item; k: unknown[] }[]>`
        SELECT ${recordJson()} AS r, jsonb_build_array(t."amount"::text, t."id") AS k FROM ${table} AS t
        WHERE t."status" = ${status}::text AND (t."amount" < ${after[0]}::numeric OR (t."amount" = ${after[0]}::numeric AND t."id" > ${after[1]}::uuid))
        ORDER BY t."amount" DESC NULLS FIRST, t."id" ASC NULLS LAST LIMIT ${limit + 1}::int`
    : await sql<{ r: Item; k: unknown[] }[]>`
        SELECT ${recordJson()} AS r, jsonb_build_array(t."amount"::text, t."id") AS k FROM ${table} AS t
        WHERE t."status" = ${status}::text
        ORDER BY t."amount" DESC NULLS FIRST, t."id" ASC NULLS LAST LIMIT ${limit + 1}::int`;
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page[page.length - 1]! : undefined;
  const nextCursor = last ? Buffer.from(JSON.stringify(last.k)).toString("base64url") : null;
  return c.json({ items: page.map((row) => row.r), nextCursor });
});

app.post("/items", async (c) => {
  const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const issues = body && typeof body === "object" ? check(body) : ["body must be a JSON object"];
  if (issues.length) return c.json({ title: "Invalid record", issues }, 422);
  const b = body!;
  const price = b.price as { amount: number; currency?: string } | null | undefined;
  const user = c.get("userId");
  // The record and its history row (every field with a value, old null) in one statement.
  const [row] = await sql<{ r: Item }[]>`
    WITH ins AS (
    INSERT INTO ${table} AS t ("id", "createdBy", "updatedBy", "ownerId", "name", "email", "status", "amount", "quantity", "price", "price_currency", "active", "dueDate", "createdOn", "score", "notes", "code")
    VALUES (${randomUUID()}::uuid, ${user}::uuid, ${user}::uuid, ${user}::uuid, ${b.name as string}::text, ${(b.email ?? null) as string}::text, ${(b.status ?? "open") as string}::text,
      ${num(b.amount)}::numeric, ${num(b.quantity)}::bigint, ${num(price?.amount)}::numeric, ${price ? (price.currency ?? "EUR") : null}::text,
      ${(b.active ?? null) as boolean}::boolean, ${(b.dueDate ?? null) as string}::date, ${(b.createdOn ?? null) as string}::timestamptz,
      ${num(b.score)}::numeric, ${(b.notes ?? null) as string}::text, ${b.code as string}::text)
    RETURNING ${recordJson()} AS r),
    h AS (
    INSERT INTO record_history ("entity_id", "entity_key", "record_id", "action", "actor_kind", "actor_id", "actor_user_id", "request_id", "changes")
    SELECT ${`bench-${tableKey.toLowerCase()}`}::text, ${tableKey}::text, (ins.r ->> 'id')::uuid, 'create', 'token', ${c.get("tokenId")}::text, ${user}::uuid, NULL,
      (SELECT COALESCE(jsonb_object_agg(f."id", jsonb_build_object('old', NULL, 'new', e.value)), '{}'::jsonb)
         FROM jsonb_each(ins.r) e JOIN ${sql.unsafe(HISTORY_FIELDS)} ON f."key" = e.key WHERE e.value <> 'null'::jsonb)
    FROM ins)
    SELECT r FROM ins`;
  const record = row!.r;
  return c.json(record, 201, { etag: `"${record.version}"`, location: `/items/${record.id}` });
});

function num(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

/** The checks a careful hand-writer adds: types, required fields, option keys, formats. */
function check(b: Record<string, unknown>): string[] {
  const issues: string[] = [];
  const optional = (key: string, ok: (v: unknown) => boolean) => {
    if (b[key] !== undefined && b[key] !== null && !ok(b[key])) issues.push(`${key} is invalid`);
  };
  if (typeof b.name !== "string" || b.name.length === 0 || b.name.length > 200) issues.push("name is required");
  if (typeof b.code !== "string" || b.code.length === 0 || b.code.length > 40) issues.push("code is required");
  optional("email", (v) => typeof v === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v));
  optional("status", (v) => STATUSES.includes(v as string));
  for (const key of ["amount", "score"]) optional(key, (v) => typeof v === "number" && Number.isFinite(v));
  optional("quantity", (v) => Number.isSafeInteger(v));
  optional("price", (v) => typeof v === "object" && typeof (v as { amount?: unknown }).amount === "number");
  optional("active", (v) => typeof v === "boolean");
  optional("dueDate", (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v));
  optional("createdOn", (v) => typeof v === "string" && !Number.isNaN(Date.parse(v)));
  optional("notes", (v) => typeof v === "string");
  return issues;
}

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3001), hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  console.log(`hand-written server is running at http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => {
  server.close();
  void sql.end({ timeout: 5 }).then(() => process.exit(0));
});
