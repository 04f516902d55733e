import type { EntityDefinition, FieldDefinition, SelectOption } from "@crm/core";
import { localized } from "./localized.ts";

/** The record's title: its display field, else `name`, else its id. */
export function recordTitle(def: EntityDefinition | undefined, record: Record<string, unknown> | null | undefined): string {
  if (!record) return "";
  const value = (def?.displayField && record[def.displayField]) ?? record["name"] ?? record["title"] ?? record["subject"];
  return typeof value === "string" || typeof value === "number" ? String(value) : String(record["id"] ?? "");
}

export function findOption(field: FieldDefinition, key: unknown): SelectOption | undefined {
  if (field.type !== "select" && field.type !== "multiSelect") return undefined;
  return field.options.find((o) => o.key === key);
}

/** Options in their display order. */
export function orderedOptions(field: FieldDefinition): SelectOption[] {
  if (field.type !== "select" && field.type !== "multiSelect") return [];
  return [...field.options].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
}

/**
 * A value as plain text in the studio's language (lists, history, titles).
 * @example displayValue(amountField, { amount: 1200, currency: "EUR" }, "en") // "€1,200.00"
 */
export function displayValue(field: FieldDefinition, value: unknown, locale: string, related?: (def: string, record: Record<string, unknown>) => string): string {
  if (value === null || value === undefined || value === "") return "";
  switch (field.type) {
    case "select":
      return localized(findOption(field, value)?.label, locale, String(value));
    case "multiSelect":
      return Array.isArray(value) ? value.map((v) => localized(findOption(field, v)?.label, locale, String(v))).join(", ") : String(value);
    case "boolean":
      return value ? "✓" : "✗";
    case "currency": {
      const money = value as { amount: number; currency: string };
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(money.amount);
      } catch {
        return `${money.amount} ${money.currency}`;
      }
    }
    case "percent":
      return `${value} %`;
    case "datetime":
      return new Date(String(value)).toLocaleString(locale);
    case "relation": {
      const title = (v: unknown) => (v && typeof v === "object" ? (related?.(field.target, v as Record<string, unknown>) ?? String((v as { id: unknown }).id)) : String(v));
      return Array.isArray(value) ? value.map(title).join(", ") : title(value);
    }
    case "json":
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/** Fields that make sense as list columns and sort keys (scalars). */
export function isColumnField(field: FieldDefinition): boolean {
  if (field.type === "json" || field.type === "longText" || field.type === "richText") return false;
  return field.type !== "relation" || field.relation === "manyToOne";
}
