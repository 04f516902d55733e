import { createI18n } from "vue-i18n";
import en from "./en.ts";
import zhCN from "./zh-CN.ts";

export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = "crm.locale";

/** The saved choice, else the browser's language when it is Chinese, else English. */
export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved === "en" || saved === "zh-CN") return saved;
  return globalThis.navigator?.language?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function createStudioI18n(locale: Locale = initialLocale()) {
  return createI18n({ legacy: false, locale, fallbackLocale: "en", messages: { en, "zh-CN": zhCN } });
}

export function saveLocale(locale: Locale): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
