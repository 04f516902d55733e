import type { EntityDefinition, FieldDefinition, FieldType, Issue, SelectOption } from "@crm/core";
import type { MigrationPreview } from "../../api/admin.ts";

/** Field types in the order the designer offers them. */
export const DESIGNER_TYPES: readonly FieldType[] = [
  "text", "longText", "richText", "email", "phone", "url", "integer", "decimal", "percent", "currency",
  "boolean", "date", "datetime", "select", "multiSelect", "relation", "autoNumber", "json",
];

export const TEXT_TYPES = new Set<FieldType>(["text", "longText", "richText", "email", "phone", "url"]);
export const NUMBER_TYPES = new Set<FieldType>(["integer", "decimal", "percent", "currency"]);
export const PRECISION_TYPES = new Set<FieldType>(["decimal", "percent", "currency"]);
export const OPTION_TYPES = new Set<FieldType>(["select", "multiSelect"]);
/** Types a value can be unique or indexed on (the others are lists, documents or long text). */
export const INDEXABLE = (type: FieldType) => !["json", "multiSelect", "richText", "longText"].includes(type);

/** Colours offered to new options, in turn. */
export const OPTION_COLORS = ["#409eff", "#67c23a", "#e6a23c", "#f56c6c", "#909399", "#9b59b6"] as const;

/** A stable id no other field of the entity has: `f-` and a random suffix (ids never change, keys may). */
export function newId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (;;) {
    const id = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
    if (!used.has(id)) return id;
  }
}

/** `fieldN` for the first free N, so a new field starts with a valid, unused key. */
export function freeKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

/** An empty entity with one required text field (a definition needs at least one field). */
export function newEntity(): EntityDefinition {
  return {
    id: "",
    key: "",
    label: { en: "", "zh-CN": "" },
    fields: [{ id: newId("f", []), key: "name", type: "text", label: { en: "Name", "zh-CN": "名称" }, required: true, maxLength: 200 }],
  } as EntityDefinition;
}

/** A new field of `type` with a free key and the shape its type needs (options for selects, a target for relations). */
export function newField(type: FieldType, entity: EntityDefinition, relationTarget?: string): FieldDefinition {
  const id = newId("f", entity.fields.map((f) => f.id));
  const key = freeKey("field", entity.fields.map((f) => f.key));
  return withType({ id, key, type: "text", label: { en: "", "zh-CN": "" } } as FieldDefinition, type, relationTarget ?? entity.key);
}

/** Settings every type shares, kept when the type changes. */
const COMMON = ["id", "key", "label", "help", "description", "required", "unique", "indexed", "audit", "secret"] as const;

/**
 * The field as `type`: common settings kept, type-specific ones (lengths, options, precision,
 * default…) dropped unless both types have them (options survive select ↔ multi-select).
 */
export function withType(field: FieldDefinition, type: FieldType, relationTarget: string): FieldDefinition {
  const next: Record<string, unknown> = {};
  for (const name of COMMON) if ((field as unknown as Record<string, unknown>)[name] !== undefined) next[name] = (field as unknown as Record<string, unknown>)[name];
  next.type = type;
  if (!INDEXABLE(type)) {
    delete next.unique;
    delete next.indexed;
  }
  if (OPTION_TYPES.has(type)) next.options = "options" in field ? field.options : [newOption([])];
  if (type === "relation") {
    next.relation = "manyToOne";
    next.target = relationTarget;
    delete next.unique;
  }
  if (type === "currency") next.defaultCurrency = "USD";
  if (TEXT_TYPES.has(field.type) && TEXT_TYPES.has(type)) {
    for (const name of ["minLength", "maxLength", "pattern"] as const) if (field[name as keyof FieldDefinition] !== undefined) next[name] = field[name as keyof FieldDefinition];
  }
  return next as unknown as FieldDefinition;
}

export function newOption(options: readonly SelectOption[]): SelectOption {
  const key = freeKey("option", options.map((o) => o.key)).replace(/(\d+)$/, "_$1");
  return { key, label: { en: "", "zh-CN": "" }, color: OPTION_COLORS[options.length % OPTION_COLORS.length]! };
}

/** `list` with the item at `from` moved to `to` (a new array; out-of-range moves change nothing). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  if (from < 0 || from >= list.length || to < 0 || to >= list.length) return next;
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * The definition as the API should get it: empty texts, empty translations and unset numbers (what
 * cleared inputs leave behind) removed, so "no maximum" is an absent property, not `null` or `""`.
 */
export function cleanDefinition(definition: EntityDefinition): EntityDefinition {
  return prune(toRaw(definition)) as EntityDefinition;
}

function toRaw<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (item === null || item === undefined || item === "") continue;
    const pruned = prune(item);
    // An emptied translation map (e.g. a help text never written) is left out, not sent as {}.
    if (pruned && typeof pruned === "object" && !Array.isArray(pruned) && Object.keys(pruned).length === 0) continue;
    out[name] = pruned;
  }
  return out;
}

/** `/definition/fields/2/key` (a request-body pointer) and `/fields/2/key` both name the same spot. */
export function definitionPointer(pointer: string): string {
  return pointer.startsWith("/definition/") || pointer === "/definition" ? pointer.slice("/definition".length) : pointer;
}

/**
 * Issues by the pointer of the input they belong to. An input shows the issues at its own pointer
 * and below it (`/fields/1/options/0` also shows `/fields/1/options/0/key/…`); `near` finds them.
 */
export class IssueMap {
  readonly issues: Array<Issue & { pointer: string }>;
  constructor(issues: readonly Issue[] = []) {
    this.issues = issues.map((issue) => ({ ...issue, pointer: definitionPointer(issue.pointer) }));
  }
  /** The first message at exactly `pointer` or inside it. */
  at(pointer: string): string | undefined {
    return this.issues.find((i) => i.pointer === pointer || i.pointer.startsWith(`${pointer}/`))?.message;
  }
  /** How many issues sit inside `pointer` (e.g. on one field, to mark its row). */
  count(pointer: string): number {
    return this.issues.filter((i) => i.pointer === pointer || i.pointer.startsWith(`${pointer}/`)).length;
  }
  get size(): number {
    return this.issues.length;
  }
}

/** The lossy steps still unticked: applying waits until this is empty and nothing blocks. */
export function unconfirmed(preview: MigrationPreview, confirmed: ReadonlySet<string>): string[] {
  return preview.requiresConfirmation.filter((id) => !confirmed.has(id));
}

export function canApply(preview: MigrationPreview, confirmed: ReadonlySet<string>): boolean {
  return !preview.blocked && unconfirmed(preview, confirmed).length === 0;
}

/** An entity key from its English label: "Service contract" → "serviceContract". */
export function keyFromLabel(label: string): string {
  const words = label.normalize("NFKD").replace(/[^A-Za-z0-9 ]/g, " ").trim().split(/\s+/).filter(Boolean);
  const key = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join("");
  return /^[a-z]/.test(key) ? key.slice(0, 30) : "";
}
