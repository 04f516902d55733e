import type { PluginManifest } from "@crm/core";
import { HostCallError } from "@crm/plugin-sandbox";
import type { FetchInit, FetchResponse, HostApi, JsonObject, JsonValue, LogLevel } from "@crm/plugin-sandbox";
import type { MemoryStore } from "./memory-store.ts";

export interface LogEntry {
  level: LogLevel;
  message: string;
  data: JsonValue;
}

/** Answers the plugin's allow-listed requests offline. */
export type FakeFetch = (url: string, init: FetchInit) => FetchResponse | Promise<FetchResponse>;

export interface HarnessHostOptions {
  manifest: PluginManifest;
  store: MemoryStore;
  settings: () => JsonObject;
  logs: LogEntry[];
  fetch?: FakeFetch;
  now: () => number;
  random: () => number;
}

/**
 * A host API that refuses exactly what production refuses for the manifest: records of entities
 * outside `capabilities.records.read` (find, get) / `.write` (create, update, delete) with
 * `CAPABILITY_REQUIRED`, URLs outside `capabilities.http.fetch` with `URL_NOT_ALLOWED`.
 * @example createHarnessHostApi({ manifest, store, settings: () => ({}), logs: [], now: () => 0, random: () => 0.5 })
 */
export function createHarnessHostApi(options: HarnessHostOptions): HostApi {
  const { manifest, store } = options;
  const allowed = (mode: "read" | "write", entity: string) => {
    if (typeof entity !== "string" || !(manifest.capabilities.records?.[mode] ?? []).includes(entity)) {
      throw new HostCallError("CAPABILITY_REQUIRED", `Plugin "${manifest.id}" may not ${mode} ${String(entity)} records: its manifest does not list "${String(entity)}" under capabilities.records.${mode}.`);
    }
  };
  return {
    records: {
      async find(entity, query) {
        allowed("read", entity);
        return store.find(entity, query as JsonObject);
      },
      async get(entity, id) {
        allowed("read", entity);
        return store.get(entity, id);
      },
      async create(entity, values) {
        allowed("write", entity);
        return store.create(entity, values);
      },
      async update(entity, id, changes) {
        allowed("write", entity);
        return store.update(entity, id, changes);
      },
      async delete(entity, id) {
        allowed("write", entity);
        store.delete(entity, id);
      },
    },
    log(level, message, data) {
      options.logs.push({ level, message, data });
    },
    settings: () => structuredClone(options.settings()),
    http: {
      async fetch(url, init) {
        if (!(manifest.capabilities.http?.fetch ?? []).some((prefix) => url.startsWith(prefix))) {
          throw new HostCallError("URL_NOT_ALLOWED", `Plugin "${manifest.id}" may not fetch ${url}: it is not under capabilities.http.fetch.`);
        }
        if (options.fetch === undefined) throw new HostCallError("URL_NOT_ALLOWED", `The harness has no fetch answer for ${url}; pass { fetch } to createHarness.`);
        return options.fetch(url, init);
      },
    },
    now: options.now,
    random: options.random,
  };
}
