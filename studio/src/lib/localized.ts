import type { LocalizedText } from "@crm/core";

/**
 * The text in the studio's language, else English, else any given.
 * @example localized({ en: "Account", "zh-CN": "客户" }, "zh-CN") // "客户"
 */
export function localized(text: LocalizedText | undefined, locale: string, fallback = ""): string {
  if (!text) return fallback;
  return text[locale] ?? text[locale.split("-")[0]!] ?? text["en"] ?? Object.values(text)[0] ?? fallback;
}
