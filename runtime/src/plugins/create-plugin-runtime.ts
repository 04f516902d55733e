import type { AccessService } from "../access/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import type { RecordEvents } from "../services/record-writes.ts";
import { createGuardedFetch } from "../webhooks/create-guarded-fetch.ts";
import { createAfterHookOutbox } from "./after-hook-outbox.ts";
import { createPluginScheduler } from "./plugin-scheduler.ts";
import { createLazyPluginHost } from "./create-lazy-plugin-host.ts";
import { createPlugins, type Plugins } from "./create-plugins.ts";
import { DEFAULT_PLUGIN_RETENTION, prunePluginTables, type PluginRetention } from "./prune-plugin-tables.ts";
import { createRecordHooks, type RecordHooks } from "./record-hooks.ts";

const PRUNE_EVERY_MS = 3_600_000;

export interface PluginRuntime {
  plugins: Plugins;
  hooks: RecordHooks;
  outbox: ReturnType<typeof createAfterHookOutbox>;
  /** Scheduled jobs: `tick(at)` runs what is due in that minute. */
  scheduler: ReturnType<typeof createPluginScheduler>;
  /** Start the background work: after-hook delivery, scheduled jobs and pruning. */
  start(): void;
  /** Prune the plugin tables now, as the hourly pruning does (`now` for tests). */
  prune(now?: Date): Promise<{ invocations: number; versions: number }>;
  host: ReturnType<typeof createLazyPluginHost>;
  close(): Promise<void>;
}

/**
 * Wire plugins into a runtime: the supervised host (forked on the first plugin), the installed
 * plugins loaded from the store, record hooks, and the outbox that delivers after-hooks.
 */
export async function createPluginRuntime(deps: {
  db: Database;
  logger: Logger;
  registry: EntityRegistry;
  access: AccessService;
  events?: RecordEvents | undefined;
  retention?: PluginRetention | undefined;
  /** Nice value of the plugin host (PLUGIN_HOST_NICE). */
  hostNice?: number | undefined;
}): Promise<PluginRuntime> {
  const { logger } = deps;
  let pruning: NodeJS.Timeout | undefined;
  let closed = false;
  let plugins: Plugins | undefined;
  const host = createLazyPluginHost({
    nice: deps.hostNice,
    onEvent(event) {
      if (event.type === "disabled") {
        plugins?.breakerTripped(event.pluginId, event.reason).catch((error: unknown) => logger.error({ err: error, plugin: event.pluginId }, "persisting a disabled plugin failed"));
      } else if (event.type === "crashed") logger.error({ reason: event.reason, plugins: event.plugins, stderr: event.stderr.slice(-500) }, "the plugin host crashed; restarting it");
    },
  });
  // Plugins never reach private, loopback or link-local addresses, whatever webhooks allow.
  const guarded = createGuardedFetch({ allowPrivateTargets: false });
  const created = createPlugins({ db: deps.db, registry: deps.registry, host, logger, fetch: guarded.fetch, events: deps.events });
  plugins = created;
  const outbox = createAfterHookOutbox({ db: deps.db, logger, access: deps.access, plugins: () => created });
  const hooks = createRecordHooks(created, outbox);
  const scheduler = createPluginScheduler({ db: deps.db, logger, access: deps.access, plugins: () => created });
  created.setHooks(hooks);
  const prune = async (now = new Date()) => {
    await created.idle();
    return prunePluginTables(deps.db, deps.retention ?? DEFAULT_PLUGIN_RETENTION, now);
  };
  await created.start();
  return {
    plugins: created,
    hooks,
    outbox,
    scheduler,
    host,
    start() {
      outbox.start();
      scheduler.start();
      // A minute after start, then hourly: invocation rows and old versions past the retention go.
      const pruneLater = (ms: number) => {
        if (closed) return;
        pruning = setTimeout(() => {
          prune()
            .catch((error: unknown) => logger.error({ err: error }, "pruning the plugin tables failed"))
            .finally(() => pruneLater(PRUNE_EVERY_MS));
        }, ms);
        pruning.unref();
      };
      pruneLater(60_000);
    },
    prune,
    async close() {
      closed = true;
      clearTimeout(pruning);
      await scheduler.stop();
      await outbox.stop();
      await created.idle();
      await host.close();
      await guarded.close();
    },
  };
}
