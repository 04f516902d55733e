import { pointer } from "../issues.ts";
import type { DefinitionCheck } from "./definition-check.ts";
import { isObject } from "./definition-check.ts";
import { isSqlReservedWord, isSystemFieldName } from "./reserved-words.ts";

/**
 * Entity and field keys that are reserved, and field keys or ids used twice. Keys are compared
 * case-insensitively: `fooBar` and `foobar` would be confusing, and collide wherever names fold case.
 * @example checkNames(check) // reports RESERVED_NAME at /fields/0/key for a field keyed "select"
 */
export function checkNames(check: DefinitionCheck): void {
  const key = check.def.key;
  if (typeof key === "string" && check.isClean("/key") && isSqlReservedWord(key)) {
    check.report("RESERVED_NAME", "/key", `"${key}" is an SQL reserved word and cannot name an entity.`);
  }
  const keys = new Map<string, number>();
  const ids = new Map<string, number>();
  check.rawFields.forEach((field, index) => {
    if (!isObject(field)) return;
    const keyAt = pointer("fields", index, "key");
    if (typeof field["key"] === "string" && check.isClean(keyAt)) checkFieldKey(check, field["key"], keyAt, keys, index);
    const idAt = pointer("fields", index, "id");
    const id = field["id"];
    if (typeof id !== "string" || !check.isClean(idAt)) return;
    const first = ids.get(id);
    if (first === undefined) ids.set(id, index);
    else check.report("DUPLICATE_ID", idAt, `Field id "${id}" is already used by field ${first}; ids must be unique.`);
  });
}

function checkFieldKey(check: DefinitionCheck, key: string, at: string, keys: Map<string, number>, index: number): void {
  if (isSystemFieldName(key)) {
    check.report("RESERVED_NAME", at, `"${key}" is a system field every record has; choose another key.`);
    return;
  }
  if (isSqlReservedWord(key)) {
    check.report("RESERVED_NAME", at, `"${key}" is an SQL reserved word and cannot name a field.`);
    return;
  }
  const folded = key.toLowerCase();
  const first = keys.get(folded);
  if (first === undefined) keys.set(folded, index);
  else check.report("DUPLICATE_KEY", at, `Field key "${key}" is already used by field ${first}; keys must be unique, ignoring case.`);
}
