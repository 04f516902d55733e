import type { DateBucket, EntityDefinition, FieldDefinition } from "@crm/core";
import type { AggregateGroup, AggregateQuery } from "../api/types.ts";
import { displayValue } from "./display.ts";

export type ChartType = "bar" | "line" | "pie";
export type MetricFn = "count" | "sum" | "avg" | "min" | "max";

/** A chart over the aggregate endpoint: one group (a field, or a date field by bucket) and one metric. */
export interface ChartSpec {
  entity: string;
  groupBy: string;
  bucket?: DateBucket;
  metric: MetricFn;
  /** The field summed, averaged…; none for count. */
  metricField?: string;
  filter?: string[];
  chart: ChartType;
}

export interface ChartData {
  labels: string[];
  values: number[];
}

const NUMERIC = new Set(["integer", "decimal", "percent", "currency"]);
const GROUPABLE = new Set(["select", "boolean", "date", "datetime", "text", "integer"]);

/** Fields a chart can group by: choices, flags, dates (by bucket), short text and whole numbers. */
export function groupFields(def: EntityDefinition): FieldDefinition[] {
  return def.fields.filter((f) => GROUPABLE.has(f.type) || (f.type === "relation" && f.relation === "manyToOne"));
}

/** Fields a metric can sum or average. */
export function metricFields(def: EntityDefinition): FieldDefinition[] {
  return def.fields.filter((f) => NUMERIC.has(f.type));
}

export const isDateField = (field: FieldDefinition | undefined) => field?.type === "date" || field?.type === "datetime";

/**
 * The aggregate request of a chart: date groups oldest first, other groups largest first.
 * @example aggregateQuery({ entity: "opportunity", groupBy: "stage", metric: "sum", metricField: "amount", chart: "bar" }) // { groupBy: "stage", metrics: "sum:amount", sort: "-sum:amount", limit: 50 }
 */
export function aggregateQuery(spec: ChartSpec): AggregateQuery {
  const metric = spec.metric === "count" || !spec.metricField ? "count" : `${spec.metric}:${spec.metricField}`;
  const groupBy = spec.bucket ? `${spec.groupBy}:${spec.bucket}` : spec.groupBy;
  return { groupBy, metrics: metric, sort: spec.bucket ? spec.groupBy : `-${metric}`, limit: spec.bucket ? 120 : 50, ...(spec.filter?.length ? { filter: spec.filter } : {}) };
}

function bucketLabel(value: string, bucket: DateBucket): string {
  const [year, month] = value.split("-");
  if (bucket === "year") return year ?? value;
  if (bucket === "quarter") return `${year} Q${Math.floor((Number(month) - 1) / 3) + 1}`;
  if (bucket === "month") return `${year}-${month}`;
  return value;
}

/**
 * Labels and numbers of a chart from the aggregate's groups: option labels for choices, bucket names
 * for dates, `none` for records without a value.
 */
export function chartData(spec: ChartSpec, groups: readonly AggregateGroup[], field: FieldDefinition | undefined, locale: string, none: string): ChartData {
  const labels = groups.map((group) => {
    const value = group.key[spec.groupBy];
    if (value === null || value === undefined || value === "") return none;
    if (spec.bucket) return bucketLabel(String(value), spec.bucket);
    return field ? displayValue(field, value, locale, (_t, related) => String(related.id)) || none : String(value);
  });
  const values = groups.map((group) => {
    if (spec.metric === "count" || !spec.metricField) return group.count;
    const metric = (group[spec.metric] as Record<string, unknown> | undefined)?.[spec.metricField];
    return metric === null || metric === undefined ? 0 : Number(metric);
  });
  return { labels, values };
}
