import type { HostApi, HostMethod, JsonValue } from "./types.ts";

/** Where a forwarded host call goes; answers with the value and the host's clock after the call. */
export type ForwardHostCall = (method: HostMethod, args: JsonValue[]) => Promise<JsonValue>;

/**
 * A HostApi that sends every call somewhere else (the process that owns the real one), the
 * counterpart of `dispatchHostCall` there. The clock and the random seed travel with the
 * invocation and each answer, so `now()` and `random()` are local.
 *
 * @example
 * const api = createForwardingHostApi((method, args) => ipcCall(method, args), () => clock, seed);
 */
export function createForwardingHostApi(forward: ForwardHostCall, now: () => number, random: number): HostApi {
  const to = (method: HostMethod) => (...args: JsonValue[]) => forward(method, args);
  return {
    records: {
      find: to("records.find") as HostApi["records"]["find"],
      get: to("records.get") as HostApi["records"]["get"],
      create: to("records.create") as HostApi["records"]["create"],
      update: to("records.update") as HostApi["records"]["update"],
      delete: to("records.delete") as unknown as HostApi["records"]["delete"],
    },
    log: to("log") as unknown as HostApi["log"],
    settings: to("settings") as HostApi["settings"],
    http: { fetch: to("http.fetch") as unknown as HostApi["http"]["fetch"] },
    now,
    random: () => random,
  };
}
