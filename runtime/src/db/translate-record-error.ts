import { compositeUniqueName, fieldColumns, foreignKeyName, uniqueName, type EntityDefinition, type FieldDefinition } from "@crm/core";
import { InvalidReference, RecordInUse, RecordInvalid, RecordNotUnique } from "../errors.ts";
import { sqlState, translateDatabaseError } from "./translate-error.ts";

/** Driver-independent details of a database error (postgres.js and PGlite name them differently). */
function details(error: unknown): { constraint?: string; column?: string; table?: string } {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as Record<string, unknown>;
    const constraint = (x.constraint_name ?? x.constraint) as string | undefined;
    const column = (x.column_name ?? x.column) as string | undefined;
    const table = (x.table_name ?? x.table) as string | undefined;
    if (constraint || column || table) return { constraint, column, table };
  }
  return {};
}

function label(field: FieldDefinition): string {
  return field.label.en ?? Object.values(field.label)[0] ?? field.key;
}

function fieldOfColumn(entity: EntityDefinition, column: string | undefined): FieldDefinition | undefined {
  return entity.fields.find((f) => fieldColumns(f).some((c) => c.name === column));
}

/**
 * The one place that turns database errors of record writes into catalogue errors, naming the field
 * by its JSON Pointer (under `prefix`, e.g. `/3` in a batch) and never echoing another record's data.
 */
export function translateRecordError(error: unknown, entity: EntityDefinition, prefix = "", operation: "write" | "delete" = "write"): unknown {
  const state = sqlState(error);
  const { constraint, column } = details(error);
  switch (state) {
    case "23505": {
      const field = entity.fields.find((f) => uniqueName(entity, f) === constraint);
      if (field) {
        return RecordNotUnique(`Another record already has this ${label(field)}.`, {
          issues: [{ code: "NOT_UNIQUE", pointer: `${prefix}/${field.key}`, message: `${label(field)} must be unique; another record already has this value.` }],
        });
      }
      const composite = entity.uniques?.find((u) => compositeUniqueName(entity, u) === constraint);
      const keys = composite?.fields ?? [];
      return RecordNotUnique(keys.length ? `Another record already has this combination of ${keys.join(", ")}.` : "Another record already has this value.", {
        issues: keys.map((key) => ({ code: "NOT_UNIQUE", pointer: `${prefix}/${key}`, message: `The combination of ${keys.join(", ")} must be unique.` })),
      });
    }
    case "23503": {
      // A delete never writes a reference: it is refused by a record still referring to it (its own entity's too).
      const field = operation === "delete" ? undefined : entity.fields.find((f) => foreignKeyName(f) === constraint);
      if (field) {
        return InvalidReference(`The related record given for ${label(field)} does not exist.`, {
          issues: [{ code: "INVALID_REFERENCE", pointer: `${prefix}/${field.key}`, message: `No such record for ${label(field)}.` }],
        });
      }
      if (operation !== "delete" && constraint === "fk_target") {
        return InvalidReference("A related record given does not exist.", { issues: [{ code: "INVALID_REFERENCE", pointer: prefix || "", message: "One of the linked records does not exist." }] });
      }
      // Deleting a record that others still refer to (ON DELETE restrict).
      return RecordInUse("This record cannot be deleted while other records refer to it; remove or reassign them first.", {
        issues: [{ code: "RECORD_IN_USE", pointer: prefix || "", message: "Other records still refer to this record." }],
      });
    }
    case "23001": // restrict_violation: deleting a record that ON DELETE RESTRICT protects
      return RecordInUse("This record cannot be deleted while other records refer to it; remove or reassign them first.", {
        issues: [{ code: "RECORD_IN_USE", pointer: prefix || "", message: "Other records still refer to this record." }],
      });
    case "23502": {
      const field = fieldOfColumn(entity, column);
      const pointer = `${prefix}/${field?.key ?? ""}`;
      return RecordInvalid(`${field ? label(field) : "A field"} is required.`, { issues: [{ code: "REQUIRED", pointer, message: `${field ? label(field) : "This field"} is required.` }] });
    }
    case "22003": // numeric out of range
    case "22P02": // invalid text representation
    case "22007": // invalid datetime format
    case "22008": // datetime out of range
    case "22001": // string too long
    case "22021": // character not in repertoire (NUL)
    case "22P05": // untranslatable character
      return RecordInvalid("A value cannot be stored in its field.", { issues: [{ code: "INVALID_VALUE", pointer: prefix || "", message: "A value is out of range or malformed for its field." }] });
    default:
      return translateDatabaseError(error);
  }
}
