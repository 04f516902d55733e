/**
 * The metadata model. An entity definition is a JSON document validated by
 * `schemas/entity.schema.json`; these types mirror that schema exactly.
 *
 * Naming rules (enforced by the schema and by `validateDefinition`):
 * - `key`s of entities and fields are camelCase identifiers: `^[a-z][a-zA-Z0-9]*$`, at most 30 chars,
 *   never an SQL reserved word or a system field name. They never contain `_`, so every name the
 *   platform derives with `_` (join tables, currency code columns, parked columns) cannot collide.
 * - `id`s are stable and never change: `^[a-z0-9][a-z0-9_-]*$`, at most 40 chars. Renaming a key keeps
 *   the id, so the planner knows it is a rename, not a drop + add.
 */

/** Text in several languages: `{ "en": "Account", "zh-CN": "客户" }`. At least one entry. */
export type LocalizedText = Record<string, string>;

export type RelationKind = "manyToOne" | "oneToMany" | "manyToMany";
export type OnDelete = "restrict" | "setNull" | "cascade";

export interface SelectOption {
  /** Stable key stored in the column. Same key rules as field keys but may also use `_` and digits first is not allowed. */
  key: string;
  label: LocalizedText;
  /** CSS hex colour, `#rrggbb`. */
  color?: string;
  /** Display order; ascending. */
  order?: number;
}

interface FieldBase {
  id: string;
  key: string;
  label: LocalizedText;
  help?: LocalizedText;
  description?: string;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  /** Record this field's changes in the record history. Default true; false for noisy fields. */
  audit?: boolean;
  /** The record history notes that the value changed but shows `"[redacted]"`. Default false. */
  secret?: boolean;
}

export interface TextLikeField extends FieldBase {
  type: "text" | "longText" | "richText" | "email" | "phone" | "url";
  default?: string;
  minLength?: number;
  maxLength?: number;
  /** ECMAScript regular expression (JSON Schema `pattern` semantics). */
  pattern?: string;
}

export interface IntegerField extends FieldBase {
  type: "integer";
  default?: number;
  min?: number;
  max?: number;
}

export interface DecimalField extends FieldBase {
  type: "decimal" | "percent";
  /** Total significant digits, 1..38. Default 18. */
  precision?: number;
  /** Digits after the point, 0..precision. Default 2 (percent: 2). */
  scale?: number;
  default?: number;
  min?: number;
  max?: number;
}

export interface CurrencyField extends FieldBase {
  type: "currency";
  precision?: number;
  scale?: number;
  /** ISO 4217 code used when a value omits its currency. */
  defaultCurrency?: string;
  /** Allowed ISO 4217 codes; absent means any. */
  currencies?: string[];
  default?: { amount: number; currency: string };
  min?: number;
  max?: number;
}

export interface BooleanField extends FieldBase {
  type: "boolean";
  default?: boolean;
}

export interface DateField extends FieldBase {
  type: "date" | "datetime";
  /** ISO date / date-time, or the word `"now"` (today for `date`). */
  default?: string;
  min?: string;
  max?: string;
}

export interface SelectField extends FieldBase {
  type: "select";
  options: SelectOption[];
  default?: string;
}

export interface MultiSelectField extends FieldBase {
  type: "multiSelect";
  options: SelectOption[];
  default?: string[];
  /** Minimum / maximum number of chosen options. */
  minItems?: number;
  maxItems?: number;
}

export interface RelationField extends FieldBase {
  type: "relation";
  relation: RelationKind;
  /** Key of the target entity (may be the entity itself). */
  target: string;
  /** manyToOne only. Default `restrict`. */
  onDelete?: OnDelete;
  /** oneToMany only: key of the manyToOne field on `target` that points back here. */
  inverse?: string;
}

export interface AutoNumberField extends FieldBase {
  type: "autoNumber";
  prefix?: string;
  /** Zero-padded width of the sequence number, 1..18. Default 6. */
  digits?: number;
}

export interface JsonField extends FieldBase {
  type: "json";
  default?: unknown;
}

export type FieldDefinition =
  | TextLikeField
  | IntegerField
  | DecimalField
  | CurrencyField
  | BooleanField
  | DateField
  | SelectField
  | MultiSelectField
  | RelationField
  | AutoNumberField
  | JsonField;

export type FieldType = FieldDefinition["type"];

export const FIELD_TYPES = [
  "text",
  "longText",
  "richText",
  "integer",
  "decimal",
  "currency",
  "percent",
  "boolean",
  "date",
  "datetime",
  "email",
  "phone",
  "url",
  "select",
  "multiSelect",
  "relation",
  "autoNumber",
  "json",
] as const satisfies readonly FieldType[];

/** A composite unique constraint or index over several fields, named by a stable id. */
export interface CompositeConstraint {
  id: string;
  /** Field keys, in order. */
  fields: string[];
}

export interface EntityDefinition {
  id: string;
  key: string;
  label: LocalizedText;
  pluralLabel?: LocalizedText;
  description?: string;
  /** Field key shown as the record's title. */
  displayField?: string;
  /** Icon name from the studio's icon set. */
  icon?: string;
  fields: FieldDefinition[];
  uniques?: CompositeConstraint[];
  indexes?: CompositeConstraint[];
  /** How the studio shows the entity; without it, every field in definition order. */
  layout?: EntityLayout;
  /** Records nobody owns form a public pool that roles with `claim` see and claim from. */
  pool?: EntityPool;
}

/** The rules of an entity's public pool. */
export interface EntityPool {
  /** Claims per user per day (in `timeZone`); no limit when absent. */
  claimsPerDay?: number;
  /** Records of the entity a user may own before claiming more; no limit when absent. */
  maxOwned?: number;
  /** IANA time zone in which the day of `claimsPerDay` starts; default UTC. */
  timeZone?: string;
}

/** A titled group of fields on the record form and page. */
export interface FormSection {
  /** Stable identifier of the section. */
  id: string;
  label?: LocalizedText;
  /** Fields per row at full width (default 2). */
  columns?: 1 | 2 | 3;
  /** Starts folded on the record page. */
  collapsed?: boolean;
  /** Field keys, in order; a field sits in at most one section. */
  fields: string[];
}

/** A column of the list view: an entity field or a system field (`createdAt`, `ownerId`…). */
export interface ListColumn {
  field: string;
  /** Pixels; the studio sizes columns without one. */
  width?: number;
}

/** The studio's views of an entity. Every part is optional; each names fields by key. */
export interface EntityLayout {
  form?: { sections: FormSection[] };
  /** `sort` in the list API's syntax, e.g. `-createdAt,name`. */
  list?: { columns: ListColumn[]; sort?: string };
  /** A board with one column per option of a select field. */
  kanban?: { field: string; cardFields?: string[] };
  /** Records placed on a calendar by a date or datetime field. */
  calendar?: { startField: string; endField?: string };
}

/** Columns every entity table has; their names are reserved as field keys. */
export const SYSTEM_FIELDS = ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "version", "ownerId"] as const;
/** System fields no client ever writes (`ownerId` is written, with the transfer permission). */
export const READ_ONLY_SYSTEM_FIELDS = ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "version"] as const;
/** The system field naming the user who owns a record: record scopes (own, team, department…) are decided on it. */
export const OWNER_FIELD = "ownerId";

/** Where entity tables live: their own PostgreSQL schema, apart from the system tables. */
export const DATA_SCHEMA = "data";
/** Where soft-dropped entity tables wait for a purge or a restore. */
export const TRASH_SCHEMA = "data_trash";
