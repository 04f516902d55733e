// The baseline of api-vs-handwritten.bench.ts: what a developer would write by hand for one table of
// the benchmark entity with Hono and postgres.js. Same SQL as the generated API (record JSON built
// by jsonb_build_object, keyset paging, insert with casts RETURNING the record), same JSON shapes.
// Standalone: DATABASE_URL=… TABLE=benchItem PORT=0 DB_POOL_SIZE=20 node tests/bench/handwritten-server.ts
import { randomUUID } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DB_POOL_SIZE ?? 10), onnotice: () => {} });
const table = sql(`data.${process.env.TABLE ?? "benchItem"}`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ["open", "won", "lost", "hold"];

const recordJson = () => sql`jsonb_build_object(
  'id', t."id",
  'createdAt', to_char(t."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'updatedAt', to_char(t."updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'createdBy', t."createdBy",
  'updatedBy', t."updatedBy",
  'version', t."version",
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

const app = new Hono();

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
  const [row] = await sql<{ r: Item }[]>`
    INSERT INTO ${table} AS t ("id", "createdBy", "updatedBy", "name", "email", "status", "amount", "quantity", "price", "price_currency", "active", "dueDate", "createdOn", "score", "notes", "code")
    VALUES (${randomUUID()}::uuid, ${null}::uuid, ${null}::uuid, ${b.name as string}::text, ${(b.email ?? null) as string}::text, ${(b.status ?? "open") as string}::text,
      ${num(b.amount)}::numeric, ${num(b.quantity)}::bigint, ${num(price?.amount)}::numeric, ${price ? (price.currency ?? "EUR") : null}::text,
      ${(b.active ?? null) as boolean}::boolean, ${(b.dueDate ?? null) as string}::date, ${(b.createdOn ?? null) as string}::timestamptz,
      ${num(b.score)}::numeric, ${(b.notes ?? null) as string}::text, ${b.code as string}::text)
    RETURNING ${recordJson()} AS r`;
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
