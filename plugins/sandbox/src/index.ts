export { createPluginSandbox, type PluginSandbox, type SandboxOptions } from "./create-plugin-sandbox.ts";
export { dispatchHostCall } from "./dispatch-host-call.ts";
export { createForwardingHostApi, type ForwardHostCall } from "./forward-host-api.ts";
export { HostCallError, toHostCallFailure, fromHostCallFailure, type HostCallFailure } from "./host-call-error.ts";
export { BudgetExceededError } from "./invocation-meter.ts";
export { readJson } from "./read-json.ts";
export * from "./types.ts";
