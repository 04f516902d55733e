import { checkReadable, parseListQuery, resolveListQuery, type EntityDefinition, type Issue, type ViewState } from "@crm/core";
import { ValidationFailed } from "../errors.ts";
import type { Caller } from "../services/caller.ts";

export type { ViewState };

export interface ViewInput extends Partial<ViewState> {
  entity?: string;
  name?: string;
  shared?: boolean;
}

const SYSTEM_COLUMNS = new Set(["createdAt", "updatedAt", "ownerId"]);
const KNOWN = ["entity", "name", "shared", "columns", "sort", "filter", "q", "mode"];
export const VIEW_LIMITS = { name: 100, columns: 50, filters: 20, filterLength: 2000, q: 200 } as const;

const isStringList = (value: unknown, max: number, length: number): value is string[] =>
  Array.isArray(value) && value.length <= max && value.every((item) => typeof item === "string" && item.length > 0 && item.length <= length);

/**
 * The shape of a saved view's body, every issue at once with its JSON Pointer (422). `partial` for
 * PATCH. Field names and filters are checked against the definition later (`checkViewState`).
 * @example readViewInput({ entity: "account", name: "Mine", filter: ["ownerId:eq:me"] }) // { entity: "account", name: "Mine", filter: [...] }
 */
export function readViewInput(body: Record<string, unknown>, options: { partial?: boolean } = {}): ViewInput {
  const issues: Issue[] = [];
  const fail = (pointer: string, code: string, message: string) => issues.push({ code, pointer, message });
  for (const name of Object.keys(body)) if (!KNOWN.includes(name)) fail(`/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, "UNKNOWN_PROPERTY", `"${name}" is not a property of a view; expected ${KNOWN.join(", ")}.`);
  const input: ViewInput = {};
  const { entity, name, shared, columns, sort, filter, q, mode } = body;
  if (entity !== undefined) {
    if (options.partial) fail("/entity", "IMMUTABLE", "A view stays with its entity; save a new view for another.");
    else if (typeof entity === "string" && entity.length > 0 && entity.length <= 100) input.entity = entity;
    else fail("/entity", "INVALID_TYPE", "Expected an entity key.");
  } else if (!options.partial) fail("/entity", "REQUIRED", '"entity" is required.');
  if (name !== undefined) {
    const text = typeof name === "string" ? name.trim() : "";
    if (text.length > 0 && text.length <= VIEW_LIMITS.name) input.name = text;
    else fail("/name", "INVALID_VALUE", `Expected a name of 1 to ${VIEW_LIMITS.name} characters.`);
  } else if (!options.partial) fail("/name", "REQUIRED", '"name" is required.');
  if (shared !== undefined) {
    if (typeof shared === "boolean") input.shared = shared;
    else fail("/shared", "INVALID_TYPE", "Expected true or false.");
  }
  if (columns !== undefined) {
    if (isStringList(columns, VIEW_LIMITS.columns, 100)) input.columns = [...new Set(columns)];
    else fail("/columns", "INVALID_TYPE", `Expected at most ${VIEW_LIMITS.columns} field keys.`);
  }
  if (sort !== undefined) {
    if (sort === null || (typeof sort === "string" && sort.length <= 500)) input.sort = sort || null;
    else fail("/sort", "INVALID_TYPE", "Expected the list API's sort, such as -updatedAt,name, or null.");
  }
  if (filter !== undefined) {
    if (isStringList(filter, VIEW_LIMITS.filters, VIEW_LIMITS.filterLength)) input.filter = filter;
    else fail("/filter", "INVALID_TYPE", `Expected at most ${VIEW_LIMITS.filters} filters in the list API's syntax, such as stage:eq:won.`);
  }
  if (q !== undefined) {
    if (q === null || (typeof q === "string" && q.length <= VIEW_LIMITS.q)) input.q = typeof q === "string" && q.trim() ? q.trim() : null;
    else fail("/q", "INVALID_TYPE", `Expected a search of at most ${VIEW_LIMITS.q} characters, or null.`);
  }
  if (mode !== undefined) {
    if (mode === "list" || mode === "kanban") input.mode = mode;
    else fail("/mode", "INVALID_VALUE", "Expected list or kanban.");
  }
  if (issues.length) throw ValidationFailed("The view has problems; see issues.", { issues });
  return input;
}

/**
 * Check a view's columns, sort and filter against the entity as the saving user sees it: known
 * columns, a sort and filter the list API would take, on fields the user may read (422 with pointers).
 * Whoever opens the view later runs it under their own permissions.
 */
export function checkViewState(state: ViewState, entity: EntityDefinition, entities: readonly EntityDefinition[], caller: Caller): void {
  const issues: Issue[] = [];
  const hidden = caller.policy?.readable(entity);
  const readable = (key: string) => SYSTEM_COLUMNS.has(key) || hidden === undefined || hidden.has(key);
  state.columns.forEach((key, index) => {
    const known = SYSTEM_COLUMNS.has(key) || entity.fields.some((f) => f.key === key);
    if (!known || !readable(key)) issues.push({ code: "UNKNOWN_COLUMN", pointer: `/columns/${index}`, message: `"${key}" is no field of ${entity.key} you may read.` });
  });
  const params = new URLSearchParams();
  for (const text of state.filter) params.append("filter", text);
  if (state.sort) params.set("sort", state.sort);
  const parsed = parseListQuery(params);
  const resolved = parsed.ok ? resolveListQuery(parsed.value, entity, entities) : parsed;
  if (!resolved.ok) issues.push(...resolved.issues);
  else if (caller.policy) issues.push(...checkReadable(resolved.value, caller.policy));
  if (issues.length) throw ValidationFailed("The view's columns, sort or filter do not fit the entity; see issues.", { issues });
}
