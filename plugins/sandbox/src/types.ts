/** Data that crosses the sandbox boundary: JSON only, copied both ways. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The budgets counted call by call in the bridge. */
export type CountedBudget = "hostCalls" | "rowsRead" | "rowsWritten" | "outboundRequests";

/** What one invocation may spend (the manifest's `budgets`, defaults filled in). */
export interface SandboxBudgets extends Record<CountedBudget, number> {
  /** CPU time of plugin code per invocation; time spent waiting for the host is not counted. */
  cpuMs: number;
  /** Heap limit of the plugin's isolate (isolated-vm's minimum is 8). */
  memoryMb: number;
}

export type BudgetUsage = Record<CountedBudget, number>;

/** One plugin version: its bundle and what each invocation may spend. */
export interface PluginBundle {
  id: string;
  version: string;
  /** The bundled plugin, one script (see the package README for the contract). */
  code: string;
  budgets: SandboxBudgets;
}

export type HandlerKind = "hook" | "action" | "schedule";

/** Handler names the bundle defines, by kind. */
export interface PluginHandlers {
  hooks: string[];
  actions: string[];
  schedules: string[];
}

export interface InvocationCall {
  kind: HandlerKind;
  /** Hook name (`beforeCreate`…), action name or schedule name. */
  name: string;
  /** Passed to the handler as its first argument, as a copy. */
  input: JsonValue;
  /** Wall-clock deadline, epoch milliseconds; past it the isolate is disposed. */
  deadline?: number;
}

export type InvocationOutcome = "ok" | "error" | "budget_exceeded" | "timeout" | "memory" | "crashed" | "disabled";

export interface InvocationError {
  /** Stable code: the plugin's own (`error.code` in SCREAMING_SNAKE) or one of the sandbox's. */
  code: string;
  name: string;
  message: string;
}

/** What every invocation reports, whatever happened. */
export interface InvocationResult {
  outcome: InvocationOutcome;
  /** The handler's result (outcome "ok"), a JSON copy. */
  value?: JsonValue;
  error?: InvocationError;
  /** Which counted budget ran out (outcome "budget_exceeded"). */
  budget?: CountedBudget;
  /** Which clock ran out (outcome "timeout"). */
  limit?: "cpu" | "wall";
  durationMs: number;
  cpuMs: number;
  usage: BudgetUsage;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface FindQuery {
  /** At most 200 (the list API's page); the sandbox lowers it to the rows-read budget left, plus one. */
  limit?: number;
  /** A page's `nextCursor`: the next page of the same query. */
  cursor?: string;
  [option: string]: JsonValue | undefined;
}

/** One page of `records.find`: at most 200 records, and the cursor of the next page (null at the end). */
export interface FindPage {
  items: JsonObject[];
  nextCursor: string | null;
  [key: string]: JsonValue;
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface FetchResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What plugin code may ask of the host, implemented by the caller for one invocation (acting
 * user, manifest capabilities, permission checks). The sandbox only counts, copies and routes.
 */
export interface HostApi {
  records: {
    find(entity: string, query: FindQuery): Promise<FindPage>;
    get(entity: string, id: string): Promise<JsonObject | null>;
    create(entity: string, values: JsonObject): Promise<JsonObject>;
    update(entity: string, id: string, changes: JsonObject): Promise<JsonObject>;
    delete(entity: string, id: string): Promise<void>;
  };
  log(level: LogLevel, message: string, data: JsonValue): void | Promise<void>;
  settings(): JsonObject | Promise<JsonObject>;
  http: { fetch(url: string, init: FetchInit): Promise<FetchResponse> };
  /** The invocation's clock (epoch ms): read at the start and after every host call. */
  now(): number;
  /** Seeds the plugin's `Math.random` / `crm.random` once per invocation; in [0, 1). */
  random(): number;
}

/** The host API's methods as the bridge names them. */
export const HOST_METHODS = ["records.find", "records.get", "records.create", "records.update", "records.delete", "log", "settings", "http.fetch"] as const;
export type HostMethod = (typeof HOST_METHODS)[number];
