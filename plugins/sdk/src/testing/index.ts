export { createHarness, withHarness, type Harness, type HarnessOptions } from "./create-harness.ts";
export { createMemoryStore, type Fixtures, type MemoryStore } from "./memory-store.ts";
export { createHarnessHostApi, type FakeFetch, type LogEntry } from "./harness-host-api.ts";
export { matchFilter } from "./match-filter.ts";
export type { InvocationResult } from "@crm/plugin-sandbox";
export { buildPlugin, type BuildOptions } from "../build/build-plugin.ts";
export { hookInputs } from "./hook-inputs.ts";
