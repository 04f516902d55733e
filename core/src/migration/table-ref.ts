import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { physicalName } from "./physical-name.ts";
import { qualifiedName } from "./quote-ident.ts";

type EntityKey = Pick<EntityDefinition, "key">;
type EntityId = Pick<EntityDefinition, "id">;

/**
 * The quoted table of an entity: its key, in schema `data`.
 * @example tableRef({ key: "account" }) // '"data"."account"'
 */
export function tableRef(entity: EntityKey): string {
  return qualifiedName(DATA_SCHEMA, entity.key);
}

/**
 * Table name (unquoted, schema `data`) of a manyToMany field's join table: `<entityKey>_<fieldKey>`.
 * Keys never contain `_`, so the name cannot collide with an entity table or another join table.
 * @example joinTableName({ key: "account" }, { key: "tags" }) // "account_tags"
 */
export function joinTableName(entity: EntityKey, field: Pick<FieldDefinition, "key">): string {
  return `${entity.key}_${field.key}`;
}

/**
 * The quoted join table of a manyToMany field.
 * @example joinTableRef({ key: "account" }, { key: "tags" }) // '"data"."account_tags"'
 */
export function joinTableRef(entity: EntityKey, field: Pick<FieldDefinition, "key">): string {
  return qualifiedName(DATA_SCHEMA, joinTableName(entity, field));
}

/**
 * Name (unquoted, schema `data_trash`) a soft-dropped entity table is parked under: `_del_<entityId>`.
 * The leading `_` can start neither a key nor an id, so the name is free in both schemas while the table moves.
 * @example parkedTableName({ id: "ent-1" }) // "_del_ent-1"
 */
export function parkedTableName(entity: EntityId): string {
  return physicalName("_del", entity.id);
}

/**
 * Name (unquoted, schema `data_trash`) a manyToMany join table is parked under: `_del_<entityId>.<fieldId>`.
 * @example parkedJoinTableName({ id: "ent-1" }, { id: "fld-2" }) // "_del_ent-1.fld-2"
 */
export function parkedJoinTableName(entity: EntityId, field: Pick<FieldDefinition, "id">): string {
  return physicalName("_del", entity.id, field.id);
}
