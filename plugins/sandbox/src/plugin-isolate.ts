import { readFileSync } from "node:fs";
import ivm from "isolated-vm";
import { readJson } from "./read-json.ts";
import type { PluginBundle, PluginHandlers } from "./types.ts";

const PRELUDE = readFileSync(new URL("./bridge-prelude.js", import.meta.url), "utf8");

/** Host side of the bridge: gets the invocation token, the method and the JSON arguments; answers JSON. */
export type BridgeHandler = (token: string, method: string, argsJson: string) => Promise<string>;

export interface IsolateLimits {
  maxOutputChars: number;
  maxArgumentChars: number;
  maxMessageChars: number;
  /** CPU time the bundle's top-level code may take. */
  loadTimeoutMs: number;
  onCatastrophicError: (message: string) => void;
}

/** One warm isolate holding one plugin version. */
export interface PluginIsolate {
  isolate: ivm.Isolate;
  handlers: PluginHandlers;
  /** The prelude's `run(token, kind, name, inputJson, startedAt, seed)`, resolving to a JSON envelope. */
  run: ivm.Reference<(...args: Array<string | number>) => Promise<string>>;
  dispose(): void;
}

/**
 * Build an isolate for a bundle: a fresh context, the prelude (which hardens the global object and
 * keeps the bridge in its closure), then the bundle as a script, whose plugin definition the
 * prelude adopts. Only primitive values and the bridge's Reference are passed in.
 */
export async function createPluginIsolate(bundle: PluginBundle, bridgeHandler: BridgeHandler, limits: IsolateLimits): Promise<PluginIsolate> {
  const isolate = new ivm.Isolate({ memoryLimit: bundle.budgets.memoryMb, onCatastrophicError: limits.onCatastrophicError });
  const bridge = new ivm.Reference(bridgeHandler);
  let released = false;
  const dispose = () => {
    if (released) return;
    released = true;
    bridge.release();
    if (!isolate.isDisposed) isolate.dispose();
  };
  try {
    const context = await isolate.createContext();
    const preludeLimits = new ivm.ExternalCopy({ maxOutputChars: limits.maxOutputChars, maxArgumentChars: limits.maxArgumentChars, maxMessageChars: limits.maxMessageChars });
    const entry = await context.evalClosure(`return (${PRELUDE})($0, $1);`, [bridge, preludeLimits.copyInto({ release: true })], {
      filename: "sandbox:prelude",
      timeout: limits.loadTimeoutMs,
      result: { reference: true },
    });
    const script = await isolate.compileScript(bundle.code, { filename: `plugin:${bundle.id}@${bundle.version}` });
    const completion = await script.run(context, { timeout: limits.loadTimeoutMs, reference: true, release: true });
    const adopt = await entry.get("adopt", { reference: true });
    const names = await adopt.apply(undefined, [completion.derefInto()], { timeout: limits.loadTimeoutMs });
    const run = await entry.get("run", { reference: true });
    return { isolate, handlers: readHandlers(names), run, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** The prelude's list of handler names; made inside the isolate, so checked. */
function readHandlers(json: unknown): PluginHandlers {
  const parsed = typeof json === "string" ? (readJson(json) as Record<string, unknown>) : undefined;
  const list = (group: string): string[] => {
    const names = parsed?.[group];
    if (!Array.isArray(names) || !names.every((name) => typeof name === "string")) throw new Error("The bundle's handlers could not be read.");
    return names;
  };
  return { hooks: list("hooks"), actions: list("actions"), schedules: list("schedules") };
}
