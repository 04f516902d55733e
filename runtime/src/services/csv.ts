import type { EntityDefinition } from "@crm/core";

/** Columns every export starts with. */
const SYSTEM_COLUMNS = ["id", "ownerId", "createdAt", "updatedAt", "createdBy", "updatedBy", "version"] as const;

/** One CSV column: its header and how to read it from record JSON. */
export interface CsvColumn {
  header: string;
  value(record: Record<string, unknown>): unknown;
}

/**
 * The columns of an export of `fields` (field keys, in order): the system fields, then each field; a
 * currency field is two columns, `<key>` (the amount) and `<key>.currency`, so a spreadsheet can sum it.
 * Relations without a value of their own (oneToMany) are left out.
 */
export function csvColumns(entity: EntityDefinition, fields: readonly string[]): CsvColumn[] {
  const columns: CsvColumn[] = SYSTEM_COLUMNS.map((key) => ({ header: key, value: (r) => r[key] }));
  for (const key of fields) {
    const field = entity.fields.find((f) => f.key === key);
    if (!field || (field.type === "relation" && field.relation === "oneToMany")) continue;
    if (field.type === "currency") {
      const money = (r: Record<string, unknown>) => r[key] as { amount?: unknown; currency?: unknown } | null | undefined;
      columns.push({ header: key, value: (r) => money(r)?.amount }, { header: `${key}.currency`, value: (r) => money(r)?.currency });
    } else columns.push({ header: key, value: (r) => r[key] });
  }
  return columns;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. Text that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`, so an exported value
 * can never execute on the machine that opens the file.
 * @example csvCell('=HYPERLINK("x")') // "'=HYPERLINK(""x"")" quoted
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (typeof value === "string") text = value;
  else if (Array.isArray(value)) text = value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(";");
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  if (typeof value !== "number" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV line (CRLF-terminated) of records under `columns`. */
export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
