import type { FieldDefinition } from "../definition/types.ts";
import { sequenceName } from "./constraint-names.ts";
import { displayName } from "./display-name.ts";
import { dataTable } from "./entity-ddl.ts";
import { columnSqlType, fieldColumns, parkedColumnName } from "./field-columns.ts";
import { countImpact } from "./impact-query.ts";
import { numericChange, numericShape, sameShape } from "./numeric-change.ts";
import { emit } from "./plan-env.ts";
import type { FieldState, PlanEnv } from "./plan-env.ts";
import { ident, param, raw, sql } from "./sql.ts";
import type { Fragment } from "./sql.ts";
import { conversionClass, findConversion, refusalReason } from "./type-conversions.ts";
import type { ConversionInput, TypeConversion } from "./type-conversions.ts";
import type { StepSpec } from "./step-spec.ts";
import { pointer } from "../issues.ts";

/**
 * Plan a type change of one field, or refuse it. Returns the state after the change, or null when refused.
 * A type change that rewrites the column drops its defaults first (the old default may not cast) and,
 * when values may be cleared, its NOT NULL; later steps restore both from the next definition.
 */
export function planTypeChange(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState | null {
  const from = state.field;
  if (from.type === to.type) return state;
  const at = pointer("fields", index, "type");
  const conversion = findConversion(from.type, to.type);
  if (!conversion) {
    env.refusals.push({
      code: "UNSUPPORTED_TYPE_CHANGE",
      pointer: at,
      message: `Changing ${displayName(to)} from ${from.type} to ${to.type} is not supported: ${refusalReason(from.type, to.type)}. Add a new ${to.type} field instead, copy the values you need into it, then delete the old field.`,
    });
    return null;
  }
  return planConversion(env, state, to, conversion, at, index);
}

/** The changeType step of a supported conversion, and the field's state after it. */
function planConversion(env: PlanEnv, state: FieldState, to: FieldDefinition, conversion: TypeConversion, at: string, index: number): FieldState | null {
  const from = state.field;
  const valueMap = checkedValueMap(env, to, index);
  if (valueMap === null) return null;
  const columnInput: ConversionInput = { value: ident(state.columns[0] ?? ""), from, to, valueMap, ...(state.columns[1] ? { currency: ident(state.columns[1]) } : {}) };
  const sourceValue = state.values[0] ?? null;
  const sourceInput: ConversionInput | null = sourceValue
    ? { value: sourceValue, from, to, valueMap, ...(state.values[1] ? { currency: state.values[1] } : {}) }
    : null;
  const convert = conversion.convert?.(columnInput);
  const newType = columnSqlType(to) ?? undefined;
  const typeChanges = newType !== columnSqlType(from);
  const dropDefaults = typeChanges || conversion.dropsSequence ? state.columns.filter((_, i) => state.defaults[i] !== undefined) : [];
  const dropNotNull = state.notNull && conversion.clears === true;
  const nextColumns = fieldColumns(to).map((c) => c.name);
  const currency = currencyChange(conversion, state, to, nextColumns);
  emit(
    env,
    "data",
    to.id,
    {
      kind: "changeType",
      table: env.table,
      column: state.columns[0] ?? "",
      ...(typeChanges && newType ? { sqlType: newType } : {}),
      ...(convert ? { convert } : {}),
      dropDefaults,
      dropNotNull,
      ...(currency ? { currency } : {}),
      ...(conversion.dropsSequence ? { dropSequence: dataTable(sequenceName(env.next, to)) } : {}),
    },
    {
      class: conversionClass(conversion, sourceInput ?? columnInput),
      description: `Change ${displayName(to)} from ${from.type} to ${to.type}: ${conversion.note}${currencyNote(currency)}.`,
      pointer: at,
      impacts: sourceInput ? (conversion.losses?.(sourceInput) ?? []).map((loss) => countImpact(env.source, loss.where, loss.message, loss.blocks)) : [],
    },
  );
  const converted = sourceInput ? (conversion.preview ?? conversion.convert)?.(sourceInput) : undefined;
  const values: Array<Fragment | null> = [converted ? sql`(${converted})` : sourceValue];
  if (currency?.action === "add") values.push(currency.fill === undefined ? raw("NULL") : param(currency.fill));
  const keepsOptions = from.type === "select" || from.type === "multiSelect";
  return {
    ...state,
    field: to,
    columns: nextColumns,
    notNull: state.notNull && !dropNotNull,
    defaults: nextColumns.map((_, i) => (dropDefaults.length > 0 || i >= state.defaults.length ? undefined : state.defaults[i])),
    values,
    options: keepsOptions ? state.options : to.type === "select" || to.type === "multiSelect" ? to.options.map((o) => o.key) : undefined,
    maxLength: isTextLike(from) ? state.maxLength : undefined,
    dataChanged: state.dataChanged || convert !== undefined || typeChanges,
    columnsChanged: state.columnsChanged || currency !== undefined,
    typeChanged: true,
    valueMapApplied: conversion.usesValueMap === true,
  };
}

/** A currency column comes (filled with the default currency) or goes (parked, as the codes are data). */
function currencyChange(conversion: TypeConversion, state: FieldState, to: FieldDefinition, nextColumns: string[]): CurrencyChange | undefined {
  if (conversion.currency === "add") {
    const fill = to.type === "currency" ? to.defaultCurrency : undefined;
    return { action: "add", column: nextColumns[1] ?? "", stale: parkedColumnName(to, "currency"), ...(fill ? { fill } : {}) };
  }
  if (conversion.currency === "park") return { action: "park", column: state.columns[1] ?? "", parked: parkedColumnName(to, "currency") };
  return undefined;
}

type CurrencyChange = NonNullable<(StepSpec & { kind: "changeType" })["currency"]>;

function currencyNote(currency: CurrencyChange | undefined): string {
  if (!currency) return "";
  if (currency.action === "park") return `; the currency codes are kept aside in column "${currency.parked}"`;
  return currency.fill ? `; existing amounts get currency ${currency.fill}` : "; existing amounts have no currency (no default currency is set)";
}

function isTextLike(field: FieldDefinition): boolean {
  return ["text", "longText", "richText", "email", "phone", "url"].includes(field.type);
}

/**
 * `context.conversions[fieldId].valueMap`, refused when it maps to something that is not an option
 * of the next definition. Returns null when refused.
 */
export function checkedValueMap(env: PlanEnv, to: FieldDefinition, index: number): Record<string, string | null> | null {
  const valueMap = env.context.conversions?.[to.id]?.valueMap ?? {};
  if (to.type !== "select" && to.type !== "multiSelect") return valueMap;
  const keys = new Set(to.options.map((o) => o.key));
  const wrong = Object.entries(valueMap).filter(([, target]) => target !== null && !keys.has(target));
  if (wrong.length === 0) return valueMap;
  env.refusals.push({
    code: "INVALID_VALUE_MAP",
    pointer: pointer("fields", index, "options"),
    message: `The conversion of ${displayName(to)} maps values to ${wrong.map(([, t]) => `"${t}"`).join(", ")}, which ${wrong.length === 1 ? "is not an option" : "are not options"} of the field. Map each value to an option key or to null.`,
  });
  return null;
}

/** Precision or scale change of a numeric field that keeps its type. */
export function planPrecisionChange(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  if (state.field.type !== to.type || !["decimal", "percent", "currency"].includes(to.type)) return state;
  const from = numericShape(state.field);
  const target = numericShape(to);
  if (sameShape(from, target)) return state;
  const column = state.columns[0] ?? "";
  const change = numericChange(ident(column), from, target);
  const source = state.values[0] ? numericChange(state.values[0], from, target) : null;
  emit(
    env,
    "data",
    to.id,
    { kind: "changePrecision", table: env.table, column, sqlType: columnSqlType(to) ?? "", convert: change.convert },
    {
      class: change.class,
      description: `Change ${displayName(to)} from ${columnSqlType(state.field)} to ${columnSqlType(to)} (precision ${target.precision}, ${target.scale} decimal places).`,
      pointer: pointer("fields", index, from.scale === target.scale ? "precision" : "scale"),
      impacts: source ? source.losses.map((loss) => countImpact(env.source, loss.where, loss.message, loss.blocks)) : [],
    },
  );
  return {
    ...state,
    field: to,
    values: [source ? sql`(${source.preview})` : null, ...state.values.slice(1)],
    dataChanged: true,
  };
}
