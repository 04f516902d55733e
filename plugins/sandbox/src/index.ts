export { createPluginSandbox, type PluginSandbox, type SandboxOptions } from "./create-plugin-sandbox.ts";
export { dispatchHostCall } from "./dispatch-host-call.ts";
export { HostCallError } from "./host-call-error.ts";
export { BudgetExceededError } from "./invocation-meter.ts";
export { readJson } from "./read-json.ts";
export * from "./types.ts";
