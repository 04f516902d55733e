import type { CompositeConstraint, EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { physicalName } from "./physical-name.ts";

type EntityId = Pick<EntityDefinition, "id">;
type FieldId = Pick<FieldDefinition, "id">;

/**
 * Names of constraints, indexes and sequences. All derive from stable ids, so renaming an entity
 * or a field key never touches them, and all carry the entity id because PostgreSQL names indexes
 * and sequences per schema, not per table. The runtime uses them to translate database errors.
 * @example uniqueName({ id: "acct" }, { id: "email" }) // "uq_acct.email"
 */
export function uniqueName(entity: EntityId, field: FieldId): string {
  return physicalName("uq", entity.id, field.id);
}

/** @example indexName({ id: "acct" }, { id: "email" }) // "ix_acct.email" */
export function indexName(entity: EntityId, field: FieldId): string {
  return physicalName("ix", entity.id, field.id);
}

/** Composite names use their own prefix, so a constraint id equal to a field id cannot clash. @example compositeUniqueName({ id: "acct" }, { id: "u1" }) // "uqc_acct.u1" */
export function compositeUniqueName(entity: EntityId, constraint: Pick<CompositeConstraint, "id">): string {
  return physicalName("uqc", entity.id, constraint.id);
}

/** @example compositeIndexName({ id: "acct" }, { id: "i1" }) // "ixc_acct.i1" */
export function compositeIndexName(entity: EntityId, constraint: Pick<CompositeConstraint, "id">): string {
  return physicalName("ixc", entity.id, constraint.id);
}

/** The index on the `ownerId` system column, which every record scope but "all" filters on. @example ownerIndexName({ id: "acct" }) // "own_acct" */
export function ownerIndexName(entity: EntityId): string {
  return physicalName("own", entity.id);
}

/** The index on `createdAt`, for the "newest first" lists every screen opens with. @example createdIndexName({ id: "acct" }) // "cre_acct" */
export function createdIndexName(entity: EntityId): string {
  return physicalName("cre", entity.id);
}

/** Foreign keys are named per table in PostgreSQL, so the field id is enough. @example foreignKeyName({ id: "owner" }) // "fk_owner" */
export function foreignKeyName(field: FieldId): string {
  return physicalName("fk", field.id);
}

/** Sequence behind an autoNumber field, in schema `data`. @example sequenceName({ id: "inv" }, { id: "num" }) // "seq_inv.num" */
export function sequenceName(entity: EntityId, field: FieldId): string {
  return physicalName("seq", entity.id, field.id);
}

/** Named explicitly: PostgreSQL's default `<table>_pkey` would outlive a table rename and block the old key. @example primaryKeyName({ id: "acct" }) // "pk_acct" */
export function primaryKeyName(entity: EntityId): string {
  return physicalName("pk", entity.id);
}

/** @example joinPrimaryKeyName({ id: "acct" }, { id: "tags" }) // "jpk_acct.tags" */
export function joinPrimaryKeyName(entity: EntityId, field: FieldId): string {
  return physicalName("jpk", entity.id, field.id);
}

/** Index on a join table's `target` column. @example joinTargetIndexName({ id: "acct" }, { id: "tags" }) // "jix_acct.tags" */
export function joinTargetIndexName(entity: EntityId, field: FieldId): string {
  return physicalName("jix", entity.id, field.id);
}
