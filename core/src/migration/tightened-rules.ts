import type { FieldDefinition } from "../definition/types.ts";
import type { ValueLoss } from "./numeric-change.ts";
import { param, raw, sql } from "./sql.ts";
import type { Fragment } from "./sql.ts";

const FLAGGED = "and will be flagged when next edited";

/**
 * Rules that became stricter between two versions of a field, as predicates over existing values.
 * Such rules are enforced when a record is written, not by the database, so existing rows are only
 * counted. `pattern` is left out: ECMAScript and PostgreSQL regular expressions differ.
 * @example tightenedRules({ ...field, min: 0 }, { ...field, min: 10 }, sql`"qty"`, null).length // 1
 */
export function tightenedRules(from: FieldDefinition | null, to: FieldDefinition, value: Fragment, currency: Fragment | null): ValueLoss[] {
  const old = from && from.type === to.type ? from : null;
  const rules: ValueLoss[] = [];
  switch (to.type) {
    case "integer":
    case "decimal":
    case "percent":
    case "currency": {
      const before = old as typeof to | null;
      if (to.min !== undefined && (before?.min === undefined || to.min > before.min)) {
        rules.push({ where: sql`${value} < ${param(to.min)}`, message: `{count} values are below the new minimum ${to.min} ${FLAGGED}` });
      }
      if (to.max !== undefined && (before?.max === undefined || to.max < before.max)) {
        rules.push({ where: sql`${value} > ${param(to.max)}`, message: `{count} values are above the new maximum ${to.max} ${FLAGGED}` });
      }
      if (to.type === "currency" && to.currencies && currency) {
        const previous = (before as typeof to | null)?.currencies;
        if (previous === undefined || previous.some((code) => !to.currencies?.includes(code))) {
          rules.push({
            where: sql`${currency} IS NOT NULL AND NOT (${currency}::text = ANY (ARRAY(SELECT jsonb_array_elements_text(${param(JSON.stringify(to.currencies))}::jsonb))))`,
            message: `{count} amounts use a currency no longer allowed (allowed: ${to.currencies.join(", ")}) ${FLAGGED}`,
          });
        }
      }
      return rules;
    }
    case "date":
    case "datetime": {
      const before = old as typeof to | null;
      const cast = to.type === "date" ? "date" : "timestamptz";
      if (to.min !== undefined && stricter(before?.min, to.min, 1)) {
        rules.push({ where: sql`${value} < ${param(to.min)}::${raw(cast)}`, message: `{count} values are before the new earliest ${to.min} ${FLAGGED}` });
      }
      if (to.max !== undefined && stricter(before?.max, to.max, -1)) {
        rules.push({ where: sql`${value} > ${param(to.max)}::${raw(cast)}`, message: `{count} values are after the new latest ${to.max} ${FLAGGED}` });
      }
      return rules;
    }
    case "text":
    case "longText":
    case "richText":
    case "email":
    case "phone":
    case "url": {
      const before = old as typeof to | null;
      if (to.minLength !== undefined && to.minLength > 0 && (before?.minLength === undefined || to.minLength > before.minLength)) {
        rules.push({ where: sql`char_length(${value}) < ${param(to.minLength)}`, message: `{count} values are shorter than the new minimum of ${to.minLength} characters ${FLAGGED}` });
      }
      return rules;
    }
    case "multiSelect": {
      const before = old as typeof to | null;
      if (to.minItems !== undefined && to.minItems > 0 && (before?.minItems === undefined || to.minItems > before.minItems)) {
        rules.push({ where: sql`cardinality(${value}) < ${param(to.minItems)}`, message: `{count} rows choose fewer than ${to.minItems} options ${FLAGGED}` });
      }
      if (to.maxItems !== undefined && (before?.maxItems === undefined || to.maxItems < before.maxItems)) {
        rules.push({ where: sql`cardinality(${value}) > ${param(to.maxItems)}`, message: `{count} rows choose more than ${to.maxItems} options ${FLAGGED}` });
      }
      return rules;
    }
    default:
      return rules;
  }
}

/** A date bound is stricter when it is new or moved inward; "now" and unreadable dates are skipped. */
function stricter(before: string | undefined, after: string, direction: 1 | -1): boolean {
  if (after === "now" || Number.isNaN(Date.parse(after))) return false;
  if (before === undefined || before === "now" || Number.isNaN(Date.parse(before))) return true;
  return (Date.parse(after) - Date.parse(before)) * direction > 0;
}
