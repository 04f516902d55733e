import { HostCallError } from "@crm/plugin-sandbox";
import type { FetchInit, FetchResponse, HostApi, JsonObject, JsonValue, LogLevel } from "@crm/plugin-sandbox";
import { MAX_LIST_LIMIT, type PluginManifest } from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";
import { AppError } from "../errors.ts";
import type { Caller } from "../services/caller.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { createRecordReads } from "../services/record-reads.ts";
import { createRecordWrites, parseRecordJson, type RecordEvents } from "../services/record-writes.ts";
import type { WebhookFetch } from "../webhooks/create-guarded-fetch.ts";
import type { RecordHooks } from "./record-hooks.ts";

const FETCH_TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REQUEST_BYTES = 256 * 1024;

export interface HostApiContext {
  manifest: PluginManifest;
  settings: Record<string, unknown>;
  /** Acts for the user who triggered the invocation, as the plugin (`actor.kind === "plugin"`). */
  caller: Caller;
  db: Database;
  registry: EntityRegistry;
  events?: RecordEvents | undefined;
  hooks?: RecordHooks | undefined;
  /** The write's transaction (or how to open it): each record call then runs in a savepoint of it. */
  tx?: Queryable | (() => Promise<Queryable>) | undefined;
  logs: Array<{ level: LogLevel; message: string; data: JsonValue }>;
  fetch: WebhookFetch;
  now?: () => number;
}

/**
 * A Database whose statements and transactions all run in `given` (nested ones as savepoints),
 * opened on the first statement when given as a function. Record services use `query` only.
 */
export function boundToTransaction(db: Database, given: Queryable | (() => Promise<Queryable>)): Database {
  let depth = 0;
  const open = typeof given === "function" ? given : async () => given;
  return {
    ...db,
    orm: typeof given === "function" ? db.orm : given.orm,
    query: async (text, params) => (await open()).query(text, params),
    async transaction(fn) {
      const tx = await open();
      const name = `plugin_${++depth}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      } finally {
        depth--;
      }
    },
  };
}

function refuse(code: string, message: string): never {
  throw new HostCallError(code, message);
}

/**
 * Turn a find query's options into list parameters (`filter`, `sort`, `limit`, `fields`…). The limit
 * is capped at the list API's page size: the sandbox raises a missing limit to the rows-read budget.
 */
function toParams(query: Record<string, JsonValue | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (name === "limit" && typeof value === "number" && value > MAX_LIST_LIMIT) {
      params.set("limit", String(MAX_LIST_LIMIT));
      continue;
    }
    // Only filters repeat; the list API reads one `fields`, `sort` or `expand`, comma-separated.
    if (Array.isArray(value) && name !== "filter") params.set(name, value.map(String).join(","));
    else for (const item of Array.isArray(value) ? value : [value]) params.append(name, typeof item === "string" ? item : String(item));
  }
  return params;
}

/**
 * The host API of one invocation: every record call checked against the manifest's capabilities,
 * then run through the record services as the acting user (so their permissions apply too); URLs
 * against the manifest's allow-list, then the SSRF guard after DNS.
 */
export function createHostApi(context: HostApiContext): HostApi {
  const { manifest, caller } = context;
  const readable = new Set(manifest.capabilities.records?.read ?? []);
  const writable = new Set(manifest.capabilities.records?.write ?? []);
  const prefixes = manifest.capabilities.http?.fetch ?? [];
  const db = context.tx ? boundToTransaction(context.db, context.tx) : context.db;
  let services: { reads: ReturnType<typeof createRecordReads>; writes: ReturnType<typeof createRecordWrites> } | undefined;
  const records = () => (services ??= { reads: createRecordReads({ db, registry: context.registry }), writes: createRecordWrites({ db, registry: context.registry, events: context.events, hooks: context.hooks }) });

  const may = (entity: string, access: "read" | "write") => {
    if (typeof entity !== "string") refuse("INVALID_ARGUMENT", "The entity must be an entity key.");
    if (!(access === "read" ? readable : writable).has(entity)) {
      refuse("CAPABILITY_REQUIRED", `Plugin "${manifest.id}" may not ${access} ${entity} records: its manifest does not list "${entity}" under capabilities.records.${access}.`);
    }
  };
  // Inside a write's transaction a failed statement would abort it: each call gets its own savepoint.
  // Only a code and a message reach the plugin, so the issues are spelled out in the message.
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await (context.tx ? db.transaction(() => fn()) : fn());
    } catch (error) {
      if (!(error instanceof AppError) || error.issues.length === 0) throw error;
      throw new HostCallError(error.code, `${error.message} ${error.issues.slice(0, 10).map((i) => `${i.pointer || "/"}: ${i.message}`).join("; ")}`);
    }
  };

  return {
    records: {
      async find(entity, query) {
        may(entity, "read");
        const page = await guarded(() => records().reads.list(entity, toParams(query ?? {}), caller));
        const { items, nextCursor } = JSON.parse(page.json) as { items: JsonObject[]; nextCursor: string | null };
        return { items, nextCursor };
      },
      async get(entity, id) {
        may(entity, "read");
        try {
          const found = await guarded(() => records().reads.get(entity, id, new URLSearchParams(), caller));
          return JSON.parse(found.json) as JsonObject;
        } catch (error) {
          if ((error as { code?: string }).code === "RECORD_NOT_FOUND") return null;
          throw error;
        }
      },
      async create(entity, values) {
        may(entity, "write");
        const response = await guarded(() => records().writes.create(entity, values, caller));
        return (response.json !== undefined ? parseRecordJson(response.json) : response.body) as JsonObject;
      },
      async update(entity, id, changes) {
        may(entity, "write");
        return (await guarded(() => records().writes.update(entity, id, changes, caller))) as JsonObject;
      },
      async delete(entity, id) {
        may(entity, "write");
        await guarded(() => records().writes.remove(entity, id, caller));
      },
    },
    log(level, message, data) {
      if (context.logs.length < 100) context.logs.push({ level, message: String(message).slice(0, 2000), data: data ?? null });
    },
    settings: () => context.settings as JsonObject,
    http: { fetch: (url, init) => fetchAllowed(context, prefixes, url, init) },
    now: context.now ?? Date.now,
    random: Math.random,
  };
}

async function fetchAllowed(context: HostApiContext, prefixes: readonly string[], url: string, init: FetchInit): Promise<FetchResponse> {
  const id = context.manifest.id;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse("INVALID_URL", `"${String(url).slice(0, 100)}" is not an absolute URL.`);
  }
  if (!prefixes.some((prefix) => parsed.href.startsWith(prefix))) {
    refuse("URL_NOT_ALLOWED", `Plugin "${id}" may not fetch ${parsed.origin}${parsed.pathname}: it is not under capabilities.http.fetch.`);
  }
  const body = init?.body;
  if (body !== undefined && Buffer.byteLength(body) > MAX_REQUEST_BYTES) refuse("REQUEST_TOO_LARGE", `A request body may hold at most ${MAX_REQUEST_BYTES} bytes.`);
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let response: Response;
  try {
    response = (await context.fetch(parsed.href, { method: (init?.method ?? "GET") as "POST", headers: init?.headers ?? {}, body: body as string, signal, redirect: "manual" })) as unknown as Response;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string; message?: string }; name?: string };
    if (e.code === "WEBHOOK_TARGET_BLOCKED" || e.cause?.code === "WEBHOOK_TARGET_BLOCKED") {
      refuse("URL_BLOCKED", `${parsed.hostname} is refused: private, loopback and link-local addresses may not be fetched.`);
    }
    if (e.name === "TimeoutError" || e.name === "AbortError") refuse("FETCH_TIMEOUT", `The request to ${parsed.origin} took longer than ${FETCH_TIMEOUT_MS} ms.`);
    return refuse("FETCH_FAILED", `The request to ${parsed.origin} failed.`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      refuse("RESPONSE_TOO_LARGE", `The response from ${parsed.origin} is larger than ${MAX_RESPONSE_BYTES} bytes.`);
    }
    chunks.push(value);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: Buffer.concat(chunks).toString("utf8") };
}
