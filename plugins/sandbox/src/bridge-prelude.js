// Runs inside every plugin isolate, before the plugin's bundle, as
// `(function prelude(bridge, limits) { … })($0, $1)`. `bridge` is the one ivm Reference into the
// host; it lives only in this closure's scope and is never passed to, stored on or returned to
// anything plugin code can reach. Only strings cross it: JSON in, JSON out.
// Strict mode matters: a strict function's `caller` and `arguments` cannot be read, and stack
// frames of strict functions do not expose their functions or receivers.
(function prelude(bridge, limits) {
  "use strict";
  const global = globalThis;
  const { parse, stringify } = JSON;
  const { keys, freeze, defineProperty, hasOwn } = Object;
  const { construct } = Reflect;
  const { imul } = Math;
  const ErrorCtor = Error;
  const RealDate = Date;
  const ProxyCtor = Proxy;
  const StringCtor = String;
  const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

  // Nothing a plugin needs, and each widens what it can do: shared memory and Atomics.wait,
  // WebAssembly's out-of-heap memory and compiled code.
  for (const name of ["SharedArrayBuffer", "Atomics", "WebAssembly"]) delete global[name];
  // Structured stack traces (CallSite#getThis, #getFunction) are the classic way to reach
  // objects a plugin was never given.
  defineProperty(ErrorCtor, "prepareStackTrace", { value: undefined, writable: false, configurable: false, enumerable: false });

  // The clock only moves when the host says so (at the start and after each host call), and
  // random numbers come from a seed the host gives each invocation: runs are reproducible.
  let clock = 0;
  let seed = 1;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const now = () => clock;
  const SafeDate = new ProxyCtor(RealDate, {
    construct: (target, args, newTarget) => construct(target, args.length === 0 ? [clock] : args, newTarget),
    apply: () => new RealDate(clock).toString(),
  });
  defineProperty(RealDate, "now", { value: now, writable: true, configurable: true });
  defineProperty(RealDate.prototype, "constructor", { value: SafeDate, writable: true, configurable: true });
  defineProperty(global, "Date", { value: SafeDate, writable: true, configurable: true });
  defineProperty(Math, "random", { value: random, writable: true, configurable: true });

  const handlers = { __proto__: null };
  let current = null;

  const fail = (name, code, message) => {
    const error = new ErrorCtor(message);
    defineProperty(error, "name", { value: name, writable: true, configurable: true });
    defineProperty(error, "code", { value: code, writable: true, configurable: true });
    return error;
  };

  const call = (state, method, args) => {
    if (state.closed || current !== state) throw fail("HostCallError", "INVOCATION_ENDED", "This invocation has ended; its host API can no longer be used.");
    const argsJson = stringify(args);
    if (argsJson.length > limits.maxArgumentChars) {
      throw fail("RangeError", "ARGUMENT_TOO_LARGE", `The arguments are ${argsJson.length} characters of JSON; at most ${limits.maxArgumentChars} may leave the sandbox.`);
    }
    const reply = parse(bridge.applySyncPromise(undefined, [state.token, method, argsJson]));
    clock = reply.now;
    if (reply.ok === true) return reply.value;
    const error = fail(reply.error.name, reply.error.code, reply.error.message);
    if (reply.error.budget !== undefined) defineProperty(error, "budget", { value: reply.error.budget, writable: true, configurable: true });
    throw error;
  };

  const createApi = (state) => {
    const method = (name) => async (...args) => call(state, name, args);
    // A page arrives as { items, nextCursor }; plugins get the array, carrying nextCursor.
    const find = async (...args) => {
      const page = call(state, "records.find", args);
      const items = page.items;
      defineProperty(items, "nextCursor", { value: page.nextCursor, writable: true, configurable: true, enumerable: false });
      return items;
    };
    const log = (level) => async (message, data) => call(state, "log", [level, StringCtor(message), data === undefined ? null : data]);
    return freeze({
      records: freeze({
        find,
        get: method("records.get"),
        create: method("records.create"),
        update: method("records.update"),
        delete: method("records.delete"),
      }),
      log: freeze({ debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") }),
      settings: method("settings"),
      http: freeze({ fetch: method("http.fetch") }),
      now,
      random,
    });
  };

  const clip = (text, max) => (text.length > max ? text.slice(0, max - 1) + "…" : text);

  const describe = (thrown) => {
    try {
      if (typeof thrown === "object" && thrown !== null) {
        const message = thrown.message;
        const name = thrown.name;
        const code = thrown.code;
        return {
          name: typeof name === "string" ? clip(name, 100) : "Error",
          code: typeof code === "string" && CODE.test(code) ? code : "PLUGIN_ERROR",
          message: typeof message === "string" ? clip(message, limits.maxMessageChars) : "The plugin threw an object without a message.",
        };
      }
      return { name: "Error", code: "PLUGIN_ERROR", message: clip(StringCtor(thrown), limits.maxMessageChars) };
    } catch {
      return { name: "Error", code: "PLUGIN_ERROR", message: "The plugin threw a value that could not be read." };
    }
  };

  const settle = (outcome) => {
    let text;
    try {
      text = stringify(outcome);
    } catch (error) {
      return stringify({ ok: false, error: { name: "TypeError", code: "INVALID_RESULT", message: "The result is not JSON data: " + describe(error).message } });
    }
    if (text === undefined) return stringify({ ok: true, value: null });
    if (text.length > limits.maxOutputChars) {
      return stringify({ ok: false, error: { name: "RangeError", code: "OUTPUT_TOO_LARGE", message: `The result is ${text.length} characters of JSON; at most ${limits.maxOutputChars} may leave the sandbox.` } });
    }
    return text;
  };

  /** Adopt the bundle's plugin definition; returns the handler names as JSON. */
  const adopt = (completion) => {
    let definition = hasOwn(global, "plugin") ? global.plugin : completion;
    if (typeof definition === "object" && definition !== null && hasOwn(definition, "default") && !hasOwn(definition, "hooks") && !hasOwn(definition, "actions") && !hasOwn(definition, "schedules")) {
      definition = definition.default;
    }
    if (typeof definition !== "object" || definition === null) {
      throw new ErrorCtor("The bundle defines no plugin: assign the definition to globalThis.plugin or make it the script's last value.");
    }
    const names = { hooks: [], actions: [], schedules: [] };
    for (const [group, kind] of [["hooks", "hook"], ["actions", "action"], ["schedules", "schedule"]]) {
      const table = definition[group];
      if (table === undefined || table === null) continue;
      if (typeof table !== "object") throw new ErrorCtor(`plugin.${group} must be an object of functions.`);
      for (const name of keys(table)) {
        const handler = table[name];
        if (typeof handler !== "function") throw new ErrorCtor(`plugin.${group}.${name} is not a function.`);
        handlers[kind + ":" + name] = handler;
        names[group][names[group].length] = name;
      }
    }
    return stringify(names);
  };

  /** Run one handler; always settles with a JSON envelope `{ ok, value | error }`. */
  const run = async (token, kind, name, inputJson, startedAt, seedValue) => {
    const handler = handlers[kind + ":" + name];
    if (handler === undefined) return stringify({ ok: false, error: { name: "Error", code: "NO_HANDLER", message: `The plugin has no ${kind} handler "${name}".` } });
    const state = { token, closed: false };
    current = state;
    clock = startedAt;
    seed = seedValue | 0;
    let outcome;
    try {
      outcome = { ok: true, value: await handler(parse(inputJson), createApi(state)) };
    } catch (thrown) {
      outcome = { ok: false, error: describe(thrown) };
    }
    // Closed before the result is read: getters and toJSON run after this and cannot call out.
    state.closed = true;
    current = null;
    return settle(outcome);
  };

  return freeze({ adopt, run });
})
