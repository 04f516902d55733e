import type { Account, Contact } from "@crm/plugin-sdk/crm";
import { normalizeCompanyName, normalizeEmail, normalizePersonName, normalizePhone, samePhone } from "./normalize.ts";

export type Criterion = "name" | "email" | "phone";
export type Guarded = "account" | "contact";
type Candidate = { id?: string } & Partial<Account & Contact>;

/** An existing record the candidate duplicates, and the fields that match (candidate's field keys). */
export interface Duplicate {
  id: string;
  title: string;
  account?: string | null;
  fields: string[];
}

/** Fields whose change can make or break a duplicate. */
export const WATCHED: Record<Guarded, readonly string[]> = {
  account: ["name", "phone"],
  contact: ["firstName", "lastName", "email", "phone", "mobile", "account"],
};

/**
 * The `find` filter for possible duplicates: a cheap, wide net (text `contains` ignores case);
 * `findDuplicate` then compares normalised values exactly. Undefined when nothing is comparable.
 * @example candidateFilter("contact", { email: "Ada@Example.com" }, ["email"]) // 'or(email:contains:"ada@example.com")'
 */
export function candidateFilter(entity: Guarded, record: Candidate, on: readonly Criterion[]): string | undefined {
  const terms: string[] = [];
  const phones = phonesOf(entity, record);
  if (on.includes("phone")) for (const phone of phones) for (const key of phoneFields(entity)) terms.push(`${key}:contains:${quote(phone.slice(-4))}`);
  if (entity === "account" && on.includes("name")) {
    const words = normalizeCompanyName(record.name ?? "").split(" ").filter(Boolean);
    const longest = words.sort((a, b) => b.length - a.length)[0];
    if (longest !== undefined) terms.push(`name:contains:${quote(longest)}`);
  }
  if (entity === "contact") {
    const email = normalizeEmail(record.email);
    if (on.includes("email") && email !== "") terms.push(`email:contains:${quote(email)}`);
    if (on.includes("name") && normalizePersonName(null, record.lastName) !== "" && record.account != null) terms.push(`and(account:eq:${quote(record.account)},lastName:contains:${quote(record.lastName!.trim())})`);
  }
  return terms.length === 0 ? undefined : `or(${terms.join(",")})`;
}

/**
 * The first existing record the candidate duplicates. Accounts: same normalised name, or same
 * phone. Contacts: same email, or same phone/mobile, or same full name at the same account (a
 * name alone is too common to mean the same person).
 * @example findDuplicate("account", { name: "ACME Inc." }, [{ id: "a1", name: "Acme" }], ["name"]) // { id: "a1", title: "Acme", fields: ["name"] }
 */
export function findDuplicate(entity: Guarded, record: Candidate, existing: readonly Candidate[], on: readonly Criterion[]): Duplicate | undefined {
  for (const other of existing) {
    if (other.id === undefined || other.id === record.id) continue;
    const fields: string[] = [];
    if (entity === "account" && on.includes("name")) {
      const name = normalizeCompanyName(record.name ?? "");
      if (name !== "" && name === normalizeCompanyName(other.name ?? "")) fields.push("name");
    }
    if (entity === "contact" && on.includes("email")) {
      const email = normalizeEmail(record.email);
      if (email !== "" && email === normalizeEmail(other.email)) fields.push("email");
    }
    if (entity === "contact" && on.includes("name") && record.account != null && record.account === other.account) {
      const name = normalizePersonName(record.firstName, record.lastName);
      if (name !== "" && name === normalizePersonName(other.firstName, other.lastName)) fields.push("lastName");
    }
    if (on.includes("phone")) {
      const theirs = phonesOf(entity, other);
      for (const key of phoneFields(entity)) {
        const mine = normalizePhone(record[key]);
        if (theirs.some((phone) => samePhone(mine, phone))) fields.push(key);
      }
    }
    if (fields.length > 0) return { id: other.id, title: titleOf(entity, other), account: other.account ?? null, fields };
  }
  return undefined;
}

function phoneFields(entity: Guarded): Array<"phone" | "mobile"> {
  return entity === "contact" ? ["phone", "mobile"] : ["phone"];
}

function phonesOf(entity: Guarded, record: Candidate): string[] {
  return phoneFields(entity).map((key) => normalizePhone(record[key])).filter(Boolean);
}

function titleOf(entity: Guarded, record: Candidate): string {
  return entity === "account" ? (record.name ?? record.id ?? "") : [record.firstName, record.lastName].filter(Boolean).join(" ");
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}
