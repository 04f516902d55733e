import { labelText, type EntityDefinition } from "@crm/core";
import { aggregateParameters, exportParameters, listParameters, readParameters } from "./query-parameters.ts";
import { batchUpdateItemSchema } from "./record-schemas.ts";
import { pascalCase, type EntitySchemaNames } from "./schema-names.ts";
import { ETAG_HEADER, errorResponses, FORBIDDEN, RECORD_WRITE_INVALID } from "./shared-components.ts";
import { ref, type PathItem, type SchemaObject } from "./types.ts";

const MAX_BATCH = 500;

function json(schema: SchemaObject) {
  return { "application/json": { schema } };
}

function body(schema: SchemaObject, description: string) {
  return { required: true, description, content: json(schema) };
}

/** Reads: 403 when no role grants reading the entity. */
const READ_ERRORS = errorResponses(400, 401, 403, 404, 500);
/** Writes: 403 for the action, its scope or the fields (see `RecordWriteForbidden`). */
// Every record write may run plugins' before-hooks: 422 covers their refusals, 503 their outages.
const writeErrors = (...statuses: Parameters<typeof errorResponses>) => ({ ...errorResponses(401, ...statuses, 503), "403": FORBIDDEN.recordWrite, "422": RECORD_WRITE_INVALID });

/**
 * The record API of one entity: `/api/records/<key>`, `/<key>/{id}` and `/<key>/aggregate`, with
 * operation ids `list<Entity>`, `create<Entity>`, … (unique because entity keys are). Every operation
 * needs a signed-in caller and acts within the caller's permissions.
 */
export function recordPaths(def: EntityDefinition, names: EntitySchemaNames, tag: string, update: SchemaObject): Record<string, PathItem> {
  const entity = pascalCase(def.key);
  const plural = labelText(def.pluralLabel, labelText(def.label, def.key));
  const label = labelText(def.label, def.key);
  const record = ref("schemas", names.record);
  const items = (schema: SchemaObject, max?: number) => ({ type: "array", items: schema, ...(max ? { minItems: 1, maxItems: max } : {}) });
  const base = `/api/records/${def.key}`;
  const tags = [tag];

  return {
    [base]: {
      get: {
        operationId: `list${entity}`,
        summary: `List ${plural}`,
        description: "One page of records, in `sort` order; pass `nextCursor` back as `cursor` for the next page.",
        tags,
        parameters: listParameters(def),
        responses: {
          "200": {
            description: "A page of records.",
            content: json({
              type: "object",
              required: ["items", "nextCursor"],
              properties: {
                items: items(record),
                nextCursor: { type: ["string", "null"], description: "Cursor of the next page; `null` on the last page." },
                total: { type: "integer", minimum: 0, description: "Matching records in all pages; only with `count=true`." },
              },
            }),
          },
          ...READ_ERRORS,
        },
      },
      post: {
        operationId: `create${entity}`,
        summary: `Create ${label} records`,
        description: `One record, or an array of up to ${MAX_BATCH} created all-or-nothing.`,
        tags,
        parameters: [ref("parameters", "IdempotencyKey")],
        requestBody: body({ oneOf: [ref("schemas", names.create), items(ref("schemas", names.create), MAX_BATCH)] }, "A record, or an array of records."),
        responses: {
          "201": {
            description: "Created: the record (single), or `{ items }` in the order sent (batch).",
            headers: { ETag: ETAG_HEADER, Location: ref("headers", "Location") },
            content: json({ anyOf: [record, { type: "object", required: ["items"], properties: { items: items(record) } }] }),
          },
          ...writeErrors(400, 404, 409, 415, 422, 423, 500),
        },
      },
      patch: {
        operationId: `batchUpdate${entity}`,
        summary: `Update several ${plural}`,
        description: `Up to ${MAX_BATCH} changes, applied all-or-nothing.`,
        tags,
        requestBody: body(items(batchUpdateItemSchema(def, names.update, update), MAX_BATCH), "An array of `{ id, version?, …changes }`."),
        responses: {
          "200": { description: "The updated records, in the order sent.", content: json({ type: "object", required: ["items"], properties: { items: items(record) } }) },
          ...writeErrors(400, 404, 409, 412, 415, 422, 423, 500),
        },
      },
      delete: {
        operationId: `batchDelete${entity}`,
        summary: `Delete several ${plural}`,
        description: "All-or-nothing.",
        tags,
        requestBody: body(
          { type: "object", required: ["ids"], additionalProperties: false, properties: { ids: { ...items({ type: "string", format: "uuid" }, MAX_BATCH), uniqueItems: true } } },
          "The ids to delete.",
        ),
        responses: {
          "200": { description: "How many records were deleted.", content: json({ type: "object", required: ["deleted"], properties: { deleted: { type: "integer", minimum: 0 } } }) },
          ...writeErrors(400, 404, 409, 415, 422, 423, 500),
        },
      },
    },
    [`${base}/export`]: {
      get: {
        operationId: `export${entity}`,
        summary: `Export ${plural} as CSV`,
        description:
          "Every record the query matches (no paging), streamed: a header line, then one CRLF-terminated line per record (RFC 4180). Columns: `id`, `ownerId`, `createdAt`, `updatedAt`, `createdBy`, `updatedBy`, `version`, then each readable field (a currency as `<key>` and `<key>.currency`; lists joined by `;`). Text a spreadsheet would run as a formula gets a leading `'`. Needs the export permission; the caller's read scope and readable fields apply as in a list.",
        tags,
        parameters: exportParameters(def),
        responses: {
          "200": {
            description: "The CSV file.",
            headers: { "Content-Disposition": { description: `\`attachment; filename="${def.key}.csv"\``, schema: { type: "string" } } },
            content: { "text/csv": { schema: { type: "string" } } },
          },
          ...READ_ERRORS,
        },
      },
    },
    [`${base}/aggregate`]: {
      get: {
        operationId: `aggregate${entity}`,
        summary: `Aggregate ${plural}`,
        description: "Counts, sums, averages, minimums and maximums, optionally per group.",
        tags,
        parameters: aggregateParameters(def),
        responses: { "200": { description: "The groups.", content: json(ref("schemas", "AggregateResult")) }, ...READ_ERRORS },
      },
    },
    [`${base}/{id}`]: {
      get: {
        operationId: `get${entity}`,
        summary: `Get one ${label}`,
        tags,
        parameters: [ref("parameters", "RecordId"), ...readParameters(def)],
        responses: { "200": { description: "The record.", headers: { ETag: ETAG_HEADER }, content: json(record) }, ...READ_ERRORS },
      },
      patch: {
        operationId: `update${entity}`,
        summary: `Update one ${label}`,
        description: "A partial update: only the fields sent change.",
        tags,
        parameters: [ref("parameters", "RecordId"), ref("parameters", "IfMatch")],
        requestBody: body(ref("schemas", names.update), "The fields to change."),
        responses: {
          "200": { description: "The updated record.", headers: { ETag: ETAG_HEADER }, content: json(record) },
          ...writeErrors(400, 404, 409, 412, 415, 422, 423, 500),
        },
      },
      delete: {
        operationId: `delete${entity}`,
        summary: `Delete one ${label}`,
        tags,
        parameters: [ref("parameters", "RecordId"), ref("parameters", "IfMatch")],
        responses: { "204": { description: "Deleted." }, ...writeErrors(400, 404, 409, 412, 423, 500) },
      },
    },
  };
}
