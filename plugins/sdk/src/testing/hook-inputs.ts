import type { JsonObject } from "@crm/plugin-sandbox";

type Values = { [field: string]: unknown };
const json = (value: object) => value as JsonObject;

/**
 * Hook inputs shaped as the runtime sends them (see README "Handler inputs and results"), for
 * `harness.hook(name, input)`. `userId` is null unless given.
 * @example harness.hook("beforeUpdate", hookInputs.beforeUpdate("lead", stored, { employees: 20 }))
 */
export const hookInputs = {
  beforeCreate: (entity: string, values: Values, userId: string | null = null) => json({ hook: "beforeCreate", entity, userId, id: null, record: values, changes: values, previous: null }),
  beforeUpdate: (entity: string, previous: Values, changes: Values, userId: string | null = null) =>
    json({ hook: "beforeUpdate", entity, userId, id: previous.id ?? null, record: { ...previous, ...changes }, changes, previous }),
  beforeDelete: (entity: string, record: Values, userId: string | null = null) => json({ hook: "beforeDelete", entity, userId, id: record.id ?? null, record, previous: record }),
  afterCreate: (entity: string, record: Values, userId: string | null = null) => json({ hook: "afterCreate", entity, userId, id: record.id ?? null, record, previous: null }),
  afterUpdate: (entity: string, record: Values, previous: Values, userId: string | null = null) => json({ hook: "afterUpdate", entity, userId, id: record.id ?? null, record, previous }),
  afterDelete: (entity: string, previous: Values, userId: string | null = null) => json({ hook: "afterDelete", entity, userId, id: previous.id ?? null, record: null, previous }),
};
