import { resolveBudgets, validateManifest, validatePluginSettings, HOOK_NAMES, type HookName, type PluginManifest } from "@crm/core";
import type { InvocationCall, JsonValue, LogLevel } from "@crm/plugin-sandbox";
import type { Database, Queryable } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Caller } from "../services/caller.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import type { RecordEvents } from "../services/record-writes.ts";
import type { WebhookFetch } from "../webhooks/create-guarded-fetch.ts";
import { compareVersions } from "./compare-versions.ts";
import { createHostApi } from "./create-host-api.ts";
import { createInvocationLog } from "./invocation-log.ts";
import { PluginInvalid, PluginLoadFailed, PluginNoPreviousVersion, PluginNotFound, PluginSettingsInvalid, PluginUnavailable, PluginVersionConflict } from "./plugin-errors.ts";
import type { PluginHost, PluginInvocationResult } from "./plugin-host.ts";
import { PLUGINS_CHANNEL, pluginStore, type ActivePluginRow } from "./plugin-store.ts";
import type { RecordHooks } from "./record-hooks.ts";

export interface ActivePlugin {
  id: string;
  version: string;
  manifest: PluginManifest;
  settings: Record<string, unknown>;
  enabled: boolean;
}

export interface PluginsDeps {
  db: Database;
  registry: EntityRegistry;
  host: PluginHost;
  logger: Logger;
  fetch: WebhookFetch;
  events?: RecordEvents | undefined;
}

export interface RunOptions {
  caller: Caller;
  call: InvocationCall;
  entity: string | null;
  recordIds: string[];
  /** The write's transaction (or how to open it), for before-hooks. */
  tx?: Queryable | (() => Promise<Queryable>) | undefined;
  /** Host API writes keep the caller's actor (a workflow run) instead of acting as the plugin. */
  keepActor?: boolean;
}

/** Bundles are held in memory by every process and its plugin host: 5 MB is plenty for one script. */
const MAX_CODE_CHARS = 5_000_000;

const hookKey = (hook: HookName, entity: string) => `${hook}\u0000${entity}`;

/**
 * Installed plugins: the store, the plugin host, and an in-memory index of the enabled plugins'
 * hooks (one map lookup per write). Every change is loaded into the host first (a bundle that does
 * not load changes nothing), then stored and announced on PostgreSQL to the other processes.
 */
export function createPlugins(deps: PluginsDeps) {
  const { db, host, logger } = deps;
  const log = createInvocationLog(db, logger);
  let active = new Map<string, ActivePlugin>();
  let index = new Map<string, string[]>();
  let hooks: RecordHooks | undefined;

  const bundleOf = (manifest: PluginManifest, code: string) => ({ id: manifest.id, version: manifest.version, code, budgets: resolveBudgets(manifest) });

  function rebuild(rows: ActivePluginRow[]) {
    active = new Map(rows.map((row) => [row.id, { id: row.id, version: row.activeVersion, manifest: row.manifest, settings: row.settings, enabled: row.enabled }]));
    const next = new Map<string, string[]>();
    for (const plugin of active.values()) {
      if (!plugin.enabled) continue;
      for (const hook of HOOK_NAMES) {
        for (const entity of plugin.manifest.hooks?.[hook]?.entities ?? []) {
          const key = hookKey(hook, entity);
          next.set(key, [...(next.get(key) ?? []), plugin.id]);
        }
      }
    }
    index = next;
  }

  /** Bring this process in line with the store: load what changed into the host, drop what went. */
  async function reload(): Promise<void> {
    const rows = await pluginStore.listActive(db);
    for (const row of rows) {
      const status = host.status(row.id);
      if (status?.version === row.activeVersion) continue;
      await host.load(bundleOf(row.manifest, row.code)).catch((error: unknown) => logger.error({ err: error, plugin: row.id }, "loading a plugin into the plugin host failed"));
    }
    for (const id of active.keys()) if (!rows.some((row) => row.id === id)) await host.unload(id).catch(() => undefined);
    for (const row of rows) if (row.enabled && host.status(row.id)?.enabled === false) host.enable(row.id);
    rebuild(rows);
  }

  async function changed(id: string): Promise<void> {
    await pluginStore.notify(db, id).catch(() => undefined);
    await reload();
  }

  async function describe(id: string) {
    const plugin = await pluginStore.find(db, id);
    if (!plugin) throw PluginNotFound(`There is no plugin "${id}".`);
    const versions = await pluginStore.versions(db, id);
    return { id, version: plugin.activeVersion, activeVersion: plugin.activeVersion, enabled: plugin.enabled, disabledReason: plugin.disabledReason, settings: plugin.settings, manifest: plugin.manifest, versions, installedAt: plugin.installedAt, updatedAt: plugin.updatedAt };
  }

  async function load(manifest: PluginManifest, code: string) {
    try {
      await host.load(bundleOf(manifest, code));
    } catch (error) {
      throw PluginLoadFailed(`Plugin "${manifest.id}" ${manifest.version} was not installed: ${(error as Error).message}`);
    }
  }

  /**
   * The settings a version installs with: those sent with the upload, checked against its settings
   * schema; else, on an upgrade, the stored ones must fit the new schema too (a first install
   * without settings keeps the empty object until an administrator configures it). Answers the
   * settings to store, or undefined to keep what is stored.
   */
  async function settingsForVersion(manifest: PluginManifest, given: unknown, change: "upgrade" | "rollback" = "upgrade"): Promise<Record<string, unknown> | undefined> {
    const stored = given === undefined ? await pluginStore.find(db, manifest.id) : undefined;
    if (given === undefined && stored === undefined) return undefined;
    const checked = validatePluginSettings(manifest, given ?? stored!.settings);
    if (checked.ok) return given === undefined ? undefined : checked.value;
    const resend = change === "upgrade" ? "send { manifest, code, settings } with settings that do" : "send { settings } that do with the rollback";
    const detail =
      given === undefined
        ? `The stored settings of "${manifest.id}" do not fit ${manifest.version}'s settings schema; ${resend}. See issues.`
        : `The settings do not fit ${manifest.version}'s settings schema; see issues.`;
    throw PluginSettingsInvalid(detail, { issues: checked.issues.map((i) => ({ ...i, pointer: `/settings${i.pointer}` })) });
  }

  /** Run one handler for the caller, as the plugin; recorded in the invocation log. */
  async function runHandler(id: string, options: RunOptions): Promise<PluginInvocationResult> {
    const plugin = active.get(id);
    if (!plugin) throw PluginNotFound(`There is no plugin "${id}".`);
    const userId = options.caller.userId;
    const caller: Caller = options.keepActor ? options.caller : { ...options.caller, actor: { kind: "plugin", pluginId: id, userId } };
    const logs: Array<{ level: LogLevel; message: string; data: JsonValue }> = [];
    const api = createHostApi({ manifest: plugin.manifest, settings: plugin.settings, caller, db, registry: deps.registry, events: deps.events, hooks, tx: options.tx, logs, fetch: deps.fetch });
    const result = await host.invoke(id, options.call, api).catch((error: unknown): PluginInvocationResult => ({
      // Not loaded in the host (its bundle failed to load there): a failure naming the plugin, never a 500.
      outcome: "crashed",
      error: { code: "PLUGIN_NOT_LOADED", name: "PluginHostError", message: `Plugin "${id}" ${plugin.version} is not loaded: ${(error as Error).message}` },
      durationMs: 0,
      cpuMs: 0,
      usage: { hostCalls: 0, rowsRead: 0, rowsWritten: 0, outboundRequests: 0 },
      pluginId: id,
      version: plugin.version,
    }));
    log.record({ result, kind: options.call.kind, name: options.call.name, entity: options.entity, recordIds: options.recordIds, userId, logs });
    return result;
  }

  return {
    reload,
    setHooks(value: RecordHooks) {
      hooks = value;
    },
    /** The enabled plugins with `hook` on `entity`, in id order; a single map lookup. */
    hooked(hook: HookName, entity: string): readonly string[] | undefined {
      return index.get(hookKey(hook, entity));
    },
    active(id: string): ActivePlugin | undefined {
      return active.get(id);
    },
    /** Every installed plugin's active version, enabled or not. */
    all(): ActivePlugin[] {
      return [...active.values()];
    },
    async start(): Promise<void> {
      await reload();
      await db.listen(PLUGINS_CHANNEL, () => {
        reload().catch((error: unknown) => logger.error({ err: error }, "reloading plugins failed"));
      });
    },

    async install(body: unknown, installedBy: string | null) {
      const { manifest: input, code, settings } = (body ?? {}) as { manifest?: unknown; code?: unknown; settings?: unknown };
      if (typeof code !== "string" || code.length === 0) throw PluginInvalid("Send { manifest, code }: code is the bundled plugin, one script.", { issues: [{ code: "REQUIRED", pointer: "/code", message: "The bundled code is required." }] });
      if (code.length > MAX_CODE_CHARS) throw PluginInvalid(`The bundle is larger than ${MAX_CODE_CHARS} characters.`, { issues: [{ code: "TOO_LARGE", pointer: "/code", message: `At most ${MAX_CODE_CHARS} characters.` }] });
      const checked = validateManifest(input, { entities: deps.registry.all().map((e) => e.definition.key) });
      if (!checked.ok) throw PluginInvalid("The manifest is invalid; see issues.", { issues: checked.issues.map((i) => ({ ...i, pointer: `/manifest${i.pointer}` })) });
      const manifest = checked.value;
      const versions = await pluginStore.versions(db, manifest.id);
      const newest = versions.map((v) => v.version).sort(compareVersions).at(-1);
      if (newest !== undefined && compareVersions(manifest.version, newest) <= 0) {
        throw PluginVersionConflict(`Plugin "${manifest.id}" ${newest} is installed; install a higher version to upgrade.`, { issues: [{ code: "VERSION_NOT_NEWER", pointer: "/manifest/version", message: `Must be higher than ${newest}.` }] });
      }
      const previous = active.get(manifest.id);
      const newSettings = await settingsForVersion(manifest, settings);
      await load(manifest, code);
      try {
        await db.transaction(async (tx) => {
          await pluginStore.addVersion(tx, manifest, code, installedBy);
          if (newSettings !== undefined) await pluginStore.setSettings(tx, manifest.id, newSettings);
        });
      } catch (error) {
        // The store refused: the host goes back to what the store says.
        if (previous) {
          const stored = await pluginStore.version(db, previous.id, previous.version);
          if (stored) await host.load(bundleOf(stored.manifest, stored.code)).catch(() => undefined);
        } else await host.unload(manifest.id).catch(() => undefined);
        throw error;
      }
      await changed(manifest.id);
      return describe(manifest.id);
    },

    list: async () => Promise.all((await pluginStore.listActive(db)).map((row) => describe(row.id))),
    get: describe,

    /**
     * Go back to the newest stored version below the active one. Its settings schema must accept the
     * settings: those sent (stored with it), else the stored ones; otherwise 422 and nothing changes.
     */
    async rollback(id: string, settings?: unknown) {
      const plugin = await describe(id);
      const earlier = plugin.versions.map((v) => v.version).filter((v) => compareVersions(v, plugin.activeVersion) < 0).sort(compareVersions).at(-1);
      if (earlier === undefined) throw PluginNoPreviousVersion(`Plugin "${id}" ${plugin.activeVersion} has no earlier stored version.`);
      const stored = (await pluginStore.version(db, id, earlier))!;
      const newSettings = await settingsForVersion(stored.manifest, settings, "rollback");
      await load(stored.manifest, stored.code);
      await db.transaction(async (tx) => {
        await pluginStore.activate(tx, id, earlier);
        if (newSettings !== undefined) await pluginStore.setSettings(tx, id, newSettings);
      });
      await changed(id);
      return describe(id);
    },

    async setEnabled(id: string, enabled: boolean, reason?: string) {
      await describe(id);
      await pluginStore.setEnabled(db, id, enabled, reason ?? "Disabled by an administrator.");
      if (enabled) host.enable(id);
      await changed(id);
      return describe(id);
    },

    async setSettings(id: string, settings: unknown) {
      const plugin = await describe(id);
      const checked = validatePluginSettings(plugin.manifest, settings);
      if (!checked.ok) throw PluginSettingsInvalid("The settings are invalid; see issues.", { issues: checked.issues });
      await pluginStore.setSettings(db, id, checked.value);
      await changed(id);
      return describe(id);
    },

    async uninstall(id: string) {
      await describe(id);
      await db.transaction((tx) => pluginStore.remove(tx, id));
      await host.unload(id).catch(() => undefined);
      await changed(id);
    },

    async invocations(id: string, limit: number) {
      await log.idle();
      const rows = await db.query(
        `select id, version, kind, name, entity, record_ids, user_id::text as user_id, outcome, error, duration_ms, cpu_ms, usage, logs, at from plugin_invocations where plugin_id = $1 order by id desc limit $2`,
        [id, limit],
      );
      const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
      return rows.map((r) => ({ id: Number(r.id), version: r.version, kind: r.kind, name: r.name, entity: r.entity, recordIds: parse(r.record_ids), userId: r.user_id, outcome: r.outcome, error: parse(r.error), durationMs: Number(r.duration_ms), cpuMs: Number(r.cpu_ms), usage: parse(r.usage), logs: parse(r.logs), at: new Date(r.at as string).toISOString() }));
    },

    /** The circuit breaker tripped in the host: persist it, so admins see why and every process stops. */
    async breakerTripped(id: string, reason: string) {
      await pluginStore.setEnabled(db, id, false, reason);
      await changed(id);
    },

    /** Run a scheduled job for the caller: `{ outcome, value?, error? }` (a failure is an answer, not a problem). */
    async runSchedule(id: string, name: string, caller: Caller) {
      const plugin = active.get(id);
      if (!plugin) throw PluginNotFound(`There is no plugin "${id}".`);
      if (!plugin.manifest.schedules?.some((s) => s.name === name)) throw PluginNotFound(`Plugin "${id}" has no schedule "${name}".`);
      if (!plugin.enabled) throw PluginUnavailable(`Plugin "${id}" is disabled.`, { extra: { pluginId: id } });
      const result = await runHandler(id, { caller, call: { kind: "schedule", name, input: { schedule: name, userId: caller.userId, scheduledAt: new Date().toISOString() } }, entity: null, recordIds: [] });
      return { outcome: result.outcome, ...(result.value === undefined ? {} : { value: result.value }), ...(result.error ? { error: result.error } : {}), durationMs: result.durationMs, usage: result.usage };
    },

    run: runHandler,
    idle: () => log.idle(),
  };
}

export type Plugins = ReturnType<typeof createPlugins>;
