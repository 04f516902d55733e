import type { LocalizedText } from "../definition/types.ts";

/**
 * How steps name a field or entity: English label (or the first one) and key.
 * @example displayName({ key: "name", label: { en: "Name" } }) // '"Name" (name)'
 */
export function displayName(item: { key: string; label: LocalizedText }): string {
  const label = item.label["en"] ?? Object.values(item.label)[0] ?? item.key;
  return `"${label}" (${item.key})`;
}
