import type { PluginBudgets } from "./plugin-budgets.ts";

/** The record hooks a plugin may contribute: a closed list. */
export const HOOK_NAMES = ["beforeCreate", "beforeUpdate", "beforeDelete", "afterCreate", "afterUpdate", "afterDelete"] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export interface PluginCapabilities {
  records?: { read?: string[]; write?: string[] };
  http?: { fetch?: string[] };
}

export interface PluginAction {
  name: string;
  label: Record<string, string>;
  entity: string;
  selection: "one" | "many";
}

export interface PluginSchedule {
  name: string;
  cron: string;
  timezone?: string;
}

/** A plugin's `plugin.json`, as described by `schemas/plugin-manifest.schema.json`. */
export interface PluginManifest {
  id: string;
  version: string;
  engine: string;
  name?: string;
  description?: string;
  capabilities: PluginCapabilities;
  budgets?: Partial<PluginBudgets>;
  settings?: { type: "object"; [keyword: string]: unknown };
  hooks?: Partial<Record<HookName, { entities: string[] }>>;
  actions?: PluginAction[];
  schedules?: PluginSchedule[];
}
