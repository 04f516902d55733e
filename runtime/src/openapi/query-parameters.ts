import { FILTER_OPERATORS, isStored, type EntityDefinition, type FieldDefinition } from "@crm/core";
import { ref, type SchemaObject } from "./types.ts";

const FILTER_SYNTAX = [
  "Conditions `path:operator[:value]`; repeat `filter` to AND several.",
  `Operators: ${FILTER_OPERATORS.map((op) => `\`${op}\``).join(", ")}.`,
  "Groups: `and(…)`, `or(…)`, `not(…)`. Lists for `in`/`nin` in parentheses: `(a,b)`.",
  'Values containing `,` `(` `)` or `"` are double-quoted, with `\\"` for a quote: `name:eq:"Acme, Inc."`.',
  "`field:isNull` or `field:isNull:false`. A path may go through many-to-one relations (`account.industry`);",
  "a currency field compares its amount, or its code as `price.currency`. System fields (`id`, `createdAt`, …) work too.",
  "At most 100 conditions in all.",
].join(" ");

const COMMA_LIST = { style: "form", explode: false } as const;

function relations(def: EntityDefinition): Array<FieldDefinition & { type: "relation" }> {
  return def.fields.filter((f): f is FieldDefinition & { type: "relation" } => f.type === "relation");
}

function listed(keys: string[]): string {
  return keys.length ? keys.map((k) => `\`${k}\``).join(", ") : "none";
}

/** `filter` with the syntax and examples built from the entity's own fields. */
function filterParameter(def: EntityDefinition): SchemaObject {
  const fields = def.fields.filter((f) => isStored(f)).map((f) => f.key);
  return {
    name: "filter",
    in: "query",
    description: `${FILTER_SYNTAX} Fields of this entity: ${listed(fields)}.`,
    schema: { type: "array", items: { type: "string", maxLength: 4000 } },
    style: "form",
    explode: true,
    examples: filterExamples(def),
  };
}

function filterExamples(def: EntityDefinition): Record<string, { summary: string; value: string[] }> {
  const examples: Record<string, { summary: string; value: string[] }> = {
    recent: { summary: "Created since a date", value: ["createdAt:gte:2024-01-01T00:00:00Z"] },
  };
  const select = def.fields.find((f) => f.type === "select");
  if (select?.type === "select" && select.options.length > 0) {
    const [a, b = a] = select.options.map((o) => o.key);
    examples["option"] = { summary: `By ${select.key}`, value: [`${select.key}:in:(${a},${b})`] };
  }
  const text = def.fields.find((f) => f.type === "text");
  if (text) examples["text"] = { summary: `By ${text.key}`, value: [`or(${text.key}:startsWith:Ac,${text.key}:eq:"Acme, Inc.")`] };
  const toOne = relations(def).find((f) => f.relation === "manyToOne");
  if (toOne) examples["relation"] = { summary: `Through ${toOne.key}`, value: [`${toOne.key}:isNull:false`, `${toOne.key}.createdAt:gte:2024-01-01T00:00:00Z`] };
  return examples;
}

const SORT: SchemaObject = {
  name: "sort",
  in: "query",
  description: "Comma-separated paths, `-` for descending (`-createdAt,name`). `id` is always the final tie-breaker.",
  schema: { type: "array", items: { type: "string" } },
  ...COMMA_LIST,
  example: ["-createdAt"],
};

/** Parameters of `GET /api/records/{entity}/export`: a list query without paging or expansion. */
export function exportParameters(def: EntityDefinition): SchemaObject[] {
  return [filterParameter(def), SORT, readParameters(def)[0]!, ref("parameters", "Search")];
}

/** Parameters of `GET /api/records/{entity}`. */
export function listParameters(def: EntityDefinition): SchemaObject[] {
  return [
    filterParameter(def),
    SORT,
    ref("parameters", "Limit"),
    ref("parameters", "Cursor"),
    ...readParameters(def),
    ref("parameters", "Count"),
    ref("parameters", "Search"),
  ];
}

/** `fields` and `expand`, shared by list and single reads. */
export function readParameters(def: EntityDefinition): SchemaObject[] {
  const expandable = relations(def).map((f) => f.key);
  return [
    {
      name: "fields",
      in: "query",
      description: `Only these fields (the system fields always come). Fields: ${listed(def.fields.map((f) => f.key))}.`,
      schema: { type: "array", items: { type: "string" } },
      ...COMMA_LIST,
    },
    {
      name: "expand",
      in: "query",
      description: `Relations to embed as records, a dot for the next level (at most 2), e.g. \`a,b.c\`. Relations: ${listed(expandable)}.`,
      schema: { type: "array", items: { type: "string" } },
      ...COMMA_LIST,
    },
  ];
}

/** Parameters of `GET /api/records/{entity}/aggregate`. */
export function aggregateParameters(def: EntityDefinition): SchemaObject[] {
  const groupable = def.fields.filter((f) => isStored(f) && f.type !== "json" && f.type !== "multiSelect").map((f) => f.key);
  const numeric = def.fields.filter((f) => ["integer", "decimal", "percent", "currency"].includes(f.type)).map((f) => f.key);
  return [
    {
      name: "groupBy",
      in: "query",
      description: `Comma-separated paths to group by (at most 5, through many-to-one relations too: \`account.industry\`); a date or date-time takes a bucket: \`:day\`, \`:week\`, \`:month\`, \`:quarter\`, \`:year\` (\`createdAt:month\`). Fields: ${listed(groupable)}.`,
      schema: { type: "array", items: { type: "string" } },
      ...COMMA_LIST,
    },
    {
      name: "metrics",
      in: "query",
      description: `Comma-separated, at most 20: \`count\`, \`sum:path\`, \`avg:path\`, \`min:path\`, \`max:path\`. Numeric fields: ${listed(numeric)}.`,
      schema: { type: "array", items: { type: "string" } },
      ...COMMA_LIST,
      example: numeric[0] ? ["count", `sum:${numeric[0]}`] : ["count"],
    },
    filterParameter(def),
    ref("parameters", "Search"),
    {
      name: "sort",
      in: "query",
      description: "Order of the groups: a group key or a metric, `-` for descending (`-count`, `-sum:amount`).",
      schema: { type: "array", items: { type: "string" } },
      ...COMMA_LIST,
    },
    { name: "limit", in: "query", description: "At most this many groups.", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
  ];
}
