import type { PluginManifest } from "@crm/core";
import type { Queryable } from "../db/database.ts";

/** The NOTIFY channel on which plugin installs and changes are announced to every runtime process. */
export const PLUGINS_CHANNEL = "crm_plugins_changed";

export interface StoredPlugin {
  id: string;
  activeVersion: string;
  enabled: boolean;
  disabledReason: string | null;
  settings: Record<string, unknown>;
  installedAt: string;
  updatedAt: string;
}

export interface StoredVersion {
  version: string;
  installedAt: string;
  installedBy: string | null;
}

/** An active plugin with its active version's manifest and code. */
export interface ActivePluginRow extends StoredPlugin {
  manifest: PluginManifest;
  code: string;
}

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

const PLUGIN_COLUMNS = `p.id, p.active_version, p.enabled, p.disabled_reason, p.settings, p.installed_at, p.updated_at`;

function toPlugin(row: Record<string, unknown>): StoredPlugin {
  return {
    id: row.id as string,
    activeVersion: row.active_version as string,
    enabled: row.enabled as boolean,
    disabledReason: (row.disabled_reason as string | null) ?? null,
    settings: json(row.settings),
    installedAt: iso(row.installed_at),
    updatedAt: iso(row.updated_at),
  };
}

/** SQL of the plugin tables; every function takes the database or an open transaction. */
export const pluginStore = {
  async listActive(q: Queryable): Promise<ActivePluginRow[]> {
    const rows = await q.query(`select ${PLUGIN_COLUMNS}, v.manifest, v.code from plugins p join plugin_versions v on v.plugin_id = p.id and v.version = p.active_version order by p.id`);
    return rows.map((row) => ({ ...toPlugin(row), manifest: json<PluginManifest>(row.manifest), code: row.code as string }));
  },

  async find(q: Queryable, id: string): Promise<(StoredPlugin & { manifest: PluginManifest }) | undefined> {
    const [row] = await q.query(`select ${PLUGIN_COLUMNS}, v.manifest from plugins p join plugin_versions v on v.plugin_id = p.id and v.version = p.active_version where p.id = $1`, [id]);
    return row ? { ...toPlugin(row), manifest: json<PluginManifest>(row.manifest) } : undefined;
  },

  async versions(q: Queryable, id: string): Promise<StoredVersion[]> {
    const rows = await q.query(`select version, installed_at, installed_by::text as installed_by from plugin_versions where plugin_id = $1 order by installed_at, version`, [id]);
    return rows.map((row) => ({ version: row.version as string, installedAt: iso(row.installed_at), installedBy: (row.installed_by as string | null) ?? null }));
  },

  async version(q: Queryable, id: string, version: string): Promise<{ manifest: PluginManifest; code: string } | undefined> {
    const [row] = await q.query(`select manifest, code from plugin_versions where plugin_id = $1 and version = $2`, [id, version]);
    return row ? { manifest: json<PluginManifest>(row.manifest), code: row.code as string } : undefined;
  },

  async addVersion(q: Queryable, manifest: PluginManifest, code: string, installedBy: string | null): Promise<void> {
    await q.query(`insert into plugin_versions (plugin_id, version, manifest, code, installed_by) values ($1, $2, $3::jsonb, $4, $5)`, [manifest.id, manifest.version, JSON.stringify(manifest), code, installedBy]);
    await q.query(
      `insert into plugins (id, active_version) values ($1, $2)
       on conflict (id) do update set active_version = excluded.active_version, updated_at = now()`,
      [manifest.id, manifest.version],
    );
  },

  async activate(q: Queryable, id: string, version: string): Promise<void> {
    await q.query(`update plugins set active_version = $2, updated_at = now() where id = $1`, [id, version]);
  },

  async setEnabled(q: Queryable, id: string, enabled: boolean, reason: string | null): Promise<void> {
    await q.query(`update plugins set enabled = $2, disabled_reason = $3, updated_at = now() where id = $1`, [id, enabled, enabled ? null : reason]);
  },

  async setSettings(q: Queryable, id: string, settings: Record<string, unknown>): Promise<void> {
    await q.query(`update plugins set settings = $2::jsonb, updated_at = now() where id = $1`, [id, JSON.stringify(settings)]);
  },

  async remove(q: Queryable, id: string): Promise<void> {
    await q.query(`delete from plugin_outbox where plugin_id = $1`, [id]);
    await q.query(`delete from plugin_versions where plugin_id = $1`, [id]);
    await q.query(`delete from plugins where id = $1`, [id]);
  },

  async notify(q: Queryable, id: string): Promise<void> {
    await q.query(`select pg_notify('${PLUGINS_CHANNEL}', $1)`, [id]);
  },
};
