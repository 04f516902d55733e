import type { EntityDefinition, FieldDefinition } from "@crm/core";

/** The four options of `status`; rows are spread evenly over them. */
export const STATUSES = ["open", "won", "lost", "hold"] as const;

function field(key: string, type: FieldDefinition["type"], extra: Record<string, unknown> = {}): FieldDefinition {
  return { id: `f-${key.toLowerCase()}`, key, type, label: { en: key }, ...extra } as FieldDefinition;
}

/**
 * A 12-field entity as an admin would define it: the fields a list filters and sorts on are indexed,
 * `code` is unique, and the list's filter + sort (`status` then `amount`) has a composite index.
 */
export function benchDefinition(key: string): EntityDefinition {
  return {
    id: `bench-${key.toLowerCase()}`,
    key,
    label: { en: key },
    displayField: "name",
    fields: [
      field("name", "text", { required: true, maxLength: 200, indexed: true }),
      field("email", "email"),
      field("status", "select", { required: true, default: "open", indexed: true, options: STATUSES.map((s) => ({ key: s, label: { en: s } })) }),
      field("amount", "decimal", { precision: 18, scale: 2 }),
      field("quantity", "integer"),
      field("price", "currency", { defaultCurrency: "EUR" }),
      field("active", "boolean"),
      field("dueDate", "date"),
      field("createdOn", "datetime"),
      field("score", "percent"),
      field("notes", "longText"),
      field("code", "text", { required: true, unique: true, maxLength: 40 }),
    ],
    indexes: [{ id: `bench-${key.toLowerCase()}-status-amount`, fields: ["status", "amount"] }],
  };
}

/**
 * One INSERT … SELECT of rows `from..to` (deterministic values; `code` is unique per row; created a
 * minute apart). Runs of four consecutive rows (one of each status) go to each of `owners` in turn,
 * so every owner has records of every status; the owner also created them.
 */
export function loadRowsSql(table: string, from: number, to: number, owners: readonly string[]): string {
  const owner = `('{${owners.join(",")}}'::uuid[])[1 + (g / 4) % ${owners.length}]`;
  return `insert into data."${table}" ("ownerId", "createdBy", "updatedBy", "createdAt", "updatedAt", "name", "email", "status", "amount", "quantity", "price", "price_currency", "active", "dueDate", "createdOn", "score", "notes", "code")
    select o, o, o, c, c, 'Item ' || g, 'item' || g || '@example.com', (array['open','won','lost','hold'])[1 + g % 4],
      ((g::bigint * 7919) % 10000000) / 100.0, g % 1000, ((g * 31) % 100000) / 100.0, 'EUR', g % 2 = 0,
      date '2024-01-01' + (g % 730), timestamptz '2024-01-01 00:00:00Z' + g * interval '1 minute', (g % 10000) / 100.0,
      'Notes for item ' || g || ': ' || repeat('lorem ipsum ', 6), 'C' || g
    from generate_series(${from}, ${to}) g, lateral (select ${owner} as o, timestamptz '2023-01-01 00:00:00Z' + g * interval '1 minute' as c) x`;
}

/** A valid create body; `code` must be unique, so the caller numbers it. */
export function createBody(code: string): Record<string, unknown> {
  return {
    name: `New item ${code}`,
    email: "new.item@example.com",
    status: "open",
    amount: 1234.5,
    quantity: 3,
    price: { amount: 99.9, currency: "EUR" },
    active: true,
    dueDate: "2025-06-30",
    createdOn: "2025-01-15T10:30:00.000Z",
    score: 42.5,
    notes: "Created by the API benchmark.",
    code,
  };
}
