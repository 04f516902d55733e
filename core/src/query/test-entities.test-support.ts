import type { ReadPolicy } from "../access/read-policy.ts";
import { raw } from "../migration/sql.ts";
import type { EntityDefinition } from "../definition/types.ts";
import { entity, field, options } from "../migration/test-fixtures.ts";

/** A small CRM used by the query tests: every field type, relations in every direction, 3-hop paths. */
export const tag = entity("tag", [field("text", { key: "label" })]);

export const user = entity("user", [
  field("text", { key: "name" }),
  field("relation", { key: "manager", relation: "manyToOne", target: "user", onDelete: "setNull" }),
]);

export const account = entity("account", [
  field("text", { key: "name" }),
  field("select", { key: "industry", options: options("tech", "retail", "finance") }),
  field("integer", { key: "employees" }),
  field("currency", { key: "revenue", precision: 12, scale: 2 }),
  field("url", { key: "website" }),
  field("boolean", { key: "active" }),
  field("date", { key: "founded" }),
  field("relation", { key: "owner", relation: "manyToOne", target: "user", onDelete: "setNull" }),
  field("multiSelect", { key: "regions", options: options("emea", "apac", "amer") }),
  field("relation", { key: "contacts", relation: "oneToMany", target: "contact", inverse: "account" }),
  field("relation", { key: "labels", relation: "manyToMany", target: "tag" }),
  field("json", { key: "meta" }),
]);

export const contact = entity("contact", [
  field("text", { key: "firstName" }),
  field("email", { key: "email" }),
  field("phone", { key: "phone" }),
  field("richText", { key: "bio" }),
  field("longText", { key: "notes" }),
  field("relation", { key: "account", relation: "manyToOne", target: "account", onDelete: "cascade" }),
  field("datetime", { key: "lastContacted" }),
  field("decimal", { key: "score", precision: 5, scale: 2 }),
  field("percent", { key: "share" }),
  field("autoNumber", { key: "number", prefix: "C-", digits: 4 }),
]);

export const deal = entity("deal", [
  field("text", { key: "title" }),
  field("currency", { key: "amount" }),
  field("select", { key: "stage", options: options("lead", "won", "lost") }),
  field("date", { key: "closeDate" }),
  field("datetime", { key: "closedAt" }),
  field("relation", { key: "account", relation: "manyToOne", target: "account", onDelete: "cascade" }),
]);

/** No text field: nothing to search. */
export const counter = entity("counter", [field("integer", { key: "value" })]);

export const ENTITIES: EntityDefinition[] = [tag, user, account, contact, deal, counter];

/** A read policy with row conditions only (every field readable), for compiler tests. */
export function rowPolicy(condition: (entityKey: string, alias: string) => string | undefined): ReadPolicy {
  return {
    scope: (entity, alias) => {
      const text = condition(entity.key, alias);
      return text === undefined ? undefined : raw(text);
    },
    canRead: () => true,
    readable: () => undefined,
  };
}
