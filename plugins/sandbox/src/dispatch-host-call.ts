import { HostCallError } from "./host-call-error.ts";
import { HOST_METHODS } from "./types.ts";
import type { FetchInit, FindQuery, HostApi, HostMethod, JsonObject, JsonValue, LogLevel } from "./types.ts";

const LOG_LEVELS: ReadonlySet<string> = new Set(["debug", "info", "warn", "error"]);

/**
 * Call the host API method a plugin asked for, after checking the arguments' shapes (they come
 * from plugin code). Used by the sandbox in-process, and by the process that owns the host API
 * when calls arrive over IPC.
 *
 * @example
 * await dispatchHostCall(api, "records.get", ["account", "0b9f…"]) // the record, or null
 */
export async function dispatchHostCall(api: HostApi, method: string, args: readonly JsonValue[]): Promise<JsonValue> {
  if (!isHostMethod(method)) throw new HostCallError("UNKNOWN_METHOD", `There is no host method "${method}".`);
  const text = (i: number, what: string) => argument(args, i, what, (v): v is string => typeof v === "string" && v.length > 0 && v.length <= 2000);
  const object = (i: number, what: string) => argument(args, i, what, isObject);
  switch (method) {
    case "records.find":
      return api.records.find(text(0, "an entity key"), args[1] === undefined || args[1] === null ? {} : (object(1, "a query object") as FindQuery));
    case "records.get":
      return api.records.get(text(0, "an entity key"), text(1, "a record id"));
    case "records.create":
      return api.records.create(text(0, "an entity key"), object(1, "an object of field values"));
    case "records.update":
      return api.records.update(text(0, "an entity key"), text(1, "a record id"), object(2, "an object of field changes"));
    case "records.delete":
      await api.records.delete(text(0, "an entity key"), text(1, "a record id"));
      return null;
    case "log": {
      const level = argument(args, 0, "a log level", (v): v is LogLevel => typeof v === "string" && LOG_LEVELS.has(v));
      await api.log(level, argument(args, 1, "a message", (v): v is string => typeof v === "string"), args[2] ?? null);
      return null;
    }
    case "settings":
      return api.settings();
    case "http.fetch": {
      const init = args[1] === undefined || args[1] === null ? {} : (object(1, "a request init object") as FetchInit);
      return api.http.fetch(text(0, "a URL"), init) as unknown as Promise<JsonValue>;
    }
    default:
      return unreachable(method);
  }
}

function isHostMethod(method: string): method is HostMethod {
  return (HOST_METHODS as readonly string[]).includes(method);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function argument<T extends JsonValue>(args: readonly JsonValue[], index: number, what: string, check: (value: JsonValue | undefined) => value is T): T {
  const value = args[index];
  if (!check(value)) throw new HostCallError("INVALID_ARGUMENT", `Argument ${index + 1} must be ${what}.`);
  return value;
}

function unreachable(method: never): never {
  throw new HostCallError("UNKNOWN_METHOD", `There is no host method "${String(method)}".`);
}
