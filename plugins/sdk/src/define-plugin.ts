import type { AnyEntities, EntityMap, JsonValue, PluginDefinition } from "./types.ts";

/**
 * Declare a plugin: hooks, actions and schedules, each `(input, crm)`. Returns the definition
 * unchanged; it exists for the types. Pass the generated `Entities` map (from `crm-plugin types`)
 * to type records, and your settings' type.
 *
 * @example
 * import { definePlugin } from "@crm/plugin-sdk";
 * import type { Entities } from "./entities.ts";
 *
 * export default definePlugin<Entities, { minScore: number }>({
 *   hooks: {
 *     async beforeCreate(input, crm) {
 *       if (input.entity !== "lead") return;
 *       const { minScore } = await crm.settings();
 *       return { changes: { score: Math.max(minScore, input.record.employees ?? 0) } };
 *     },
 *   },
 * });
 */
export function definePlugin<E extends EntityMap = AnyEntities, S = { [key: string]: JsonValue }>(definition: PluginDefinition<E, S>): PluginDefinition<E, S> {
  return definition;
}
