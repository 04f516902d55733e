import type { FetchInit, HostApi, JsonObject, JsonValue, LogLevel } from "./types.ts";

/** A recorded host call, for assertions. */
export interface RecordedCall {
  method: string;
  args: JsonValue[];
}

/**
 * An in-memory host API for tests: records keyed by entity, every call recorded, a fixed clock
 * and random seed, fetch answered from a table of URL prefixes (anything else refused).
 */
export function createTestHostApi(options: { rows?: number; now?: number; random?: number; fetchable?: string[]; delayMs?: number } = {}) {
  const calls: RecordedCall[] = [];
  const records = new Map<string, JsonObject>();
  let nextId = 1;
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
  const record = async (method: string, ...args: JsonValue[]) => {
    calls.push({ method, args });
    if (options.delayMs !== undefined) await pause();
  };
  const api: HostApi = {
    records: {
      async find(entity, query) {
        await record("records.find", entity, query as JsonObject);
        const rows = options.rows ?? 3;
        return { items: Array.from({ length: Math.min(rows, query.limit ?? rows) }, (_, i) => ({ id: `${entity}-${i}` })), nextCursor: null };
      },
      async get(entity, id) {
        await record("records.get", entity, id);
        return records.get(id) ?? (id === "missing" ? null : { id, entity });
      },
      async create(entity, values) {
        await record("records.create", entity, values);
        const created = { ...values, id: `new-${nextId++}` };
        records.set(String(created.id), created);
        return created;
      },
      async update(entity, id, changes) {
        await record("records.update", entity, id, changes);
        return { id, ...changes };
      },
      async delete(entity, id) {
        await record("records.delete", entity, id);
      },
    },
    async log(level: LogLevel, message: string, data: JsonValue) {
      await record("log", level, message, data);
    },
    async settings() {
      await record("settings");
      return { threshold: 0.5 };
    },
    http: {
      async fetch(url: string, init: FetchInit) {
        await record("http.fetch", url, init as JsonObject);
        if (!(options.fetchable ?? []).some((prefix) => url.startsWith(prefix))) {
          throw Object.assign(new Error(`Fetching ${url} is not allowed.`), { code: "URL_NOT_ALLOWED" });
        }
        return { status: 200, headers: { "content-type": "text/plain" }, body: `fetched ${url}` };
      },
    },
    now: () => options.now ?? Date.UTC(2024, 0, 2, 3, 4, 5),
    random: () => options.random ?? 0.25,
  };
  return { api, calls };
}
