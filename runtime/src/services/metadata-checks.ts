import {
  fieldColumns,
  parkedColumnName,
  validateDefinition,
  type EntityDefinition,
  type Issue,
  type MigrationPlan,
  type ParkedField,
} from "@crm/core";
import { EntityExists, InvalidDefinition, LossyNotConfirmed, MigrationRefused, StaleDefinition } from "../errors.ts";
import type { StoredEntity } from "./metadata-store.ts";

/** The definition with relations to entity key `from` pointed at `to` (the same object when none point there). */
export function retarget(definition: EntityDefinition, from: string, to: string): EntityDefinition {
  if (!Array.isArray(definition.fields) || !definition.fields.some((f) => f?.type === "relation" && f.target === from)) return definition;
  return { ...definition, fields: definition.fields.map((f) => (f?.type === "relation" && f.target === from ? { ...f, target: to } : f)) };
}

/**
 * Validate `next` among the other live entities, and check no other entity breaks because of it.
 * Renaming an entity's key re-points every relation that targets it (its own included): those
 * entities come back in `retargeted`, to be saved as new versions in the same transaction.
 */
export function validateAmongOthers(stored: EntityDefinition[], next: EntityDefinition | null, previous: EntityDefinition | null) {
  const rename = previous && next && typeof next.key === "string" && previous.key !== next.key ? { from: previous.key, to: next.key } : null;
  const others = rename ? stored.map((o) => retarget(o, rename.from, rename.to)) : stored;
  const retargeted = others.filter((o, i) => o !== stored[i]);
  const issues: Issue[] = [];
  let valid = next;
  if (next) {
    const result = validateDefinition(rename ? retarget(next, rename.from, rename.to) : next, { entities: others });
    if (!result.ok) throw InvalidDefinition("The definition has problems; see issues.", { issues: result.issues });
    valid = result.value;
    if (others.some((o) => o.key === valid!.key)) {
      throw EntityExists(`Another entity already uses the key "${valid.key}".`, { issues: [{ code: "DUPLICATE_KEY", pointer: "/key", message: `The key "${valid.key}" is taken by another entity.` }] });
    }
  }
  const keys = new Set([previous?.key, next?.key].filter((k): k is string => Boolean(k)));
  for (const other of others) {
    if (!other.fields.some((f) => f.type === "relation" && keys.has(f.target))) continue;
    const context = others.filter((o) => o.id !== other.id).concat(valid ? [valid] : []);
    const result = validateDefinition(other, { entities: context });
    if (!result.ok) {
      for (const issue of result.issues) {
        issues.push({
          code: "DEPENDENT_DEFINITION_BROKEN",
          pointer: next ? "/key" : "",
          message: `This change would break entity "${other.key}" (${issue.pointer}): ${issue.message} Change or remove that field first.`,
        });
      }
    }
  }
  if (issues.length) throw InvalidDefinition("The change would break other entities that refer to this one.", { issues });
  return { valid: valid!, retargeted, rename };
}

export function ensureConfirmed(plan: MigrationPlan, confirm: string[] | undefined) {
  const confirmed = new Set(confirm ?? []);
  const missing = plan.steps.filter((s) => s.class === "lossy" && !confirmed.has(s.id));
  if (missing.length) {
    throw LossyNotConfirmed(`${missing.length} step(s) may lose data; preview the change and confirm each by its id.`, {
      issues: missing.map((s) => ({ code: "CONFIRMATION_REQUIRED", pointer: s.pointer, message: `${s.description} (step "${s.id}")` })),
      extra: { requiresConfirmation: missing.map((s) => s.id) },
    });
  }
}

export function ensureNoRefusals(plan: MigrationPlan) {
  if (plan.refusals.length) {
    throw MigrationRefused("Some changes cannot be made to existing data; see issues.", {
      issues: plan.refusals.map((r) => ({ code: r.code, pointer: r.pointer, message: r.message })),
    });
  }
}

export function ensureVersion(entity: StoredEntity, baseVersion: number | undefined) {
  if (baseVersion !== undefined && baseVersion !== entity.version) {
    throw StaleDefinition(
      `You edited version ${baseVersion} of "${entity.key}", but it is now at version ${entity.version}. Reload it, redo your change and preview again.`,
      { extra: { currentVersion: entity.version, baseVersion } },
    );
  }
}

/** Soft-dropped and restored fields, from the difference between two definitions. */
export function fieldMoves(entityId: string, previous: EntityDefinition, next: EntityDefinition, parked: ParkedField[]) {
  const nextIds = new Set(next.fields.map((f) => f.id));
  const prevIds = new Set(previous.fields.map((f) => f.id));
  const parkedNow: ParkedField[] = previous.fields
    .filter((f) => !nextIds.has(f.id))
    .map((field) => ({ entityId, field, columns: fieldColumns(field).map((c) => parkedColumnName(field, c.role)) }));
  const restored = next.fields.filter((f) => !prevIds.has(f.id) && parked.some((p) => p.field.id === f.id)).map((f) => f.id);
  return { parkedNow, restored };
}
