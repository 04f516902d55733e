/** Words that say what kind of company it is, not which one. */
const LEGAL_FORMS = new Set(["inc", "incorporated", "ltd", "limited", "llc", "llp", "gmbh", "ag", "co", "corp", "corporation", "company", "plc", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "kg", "pty", "the"]);
const CJK_LEGAL_FORMS = ["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"];

/**
 * A company name reduced to what identifies it: case, accents, punctuation and legal forms gone.
 * @example normalizeCompanyName("The ACME Corp., Inc.") // "acme"
 * @example normalizeCompanyName("Müller & Söhne GmbH") // "muller sohne"
 */
export function normalizeCompanyName(name: string): string {
  let text = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  for (const form of CJK_LEGAL_FORMS) text = text.replaceAll(form, " ");
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "" && !LEGAL_FORMS.has(word))
    .join(" ");
}

/**
 * A person's name for comparison.
 * @example normalizePersonName("  José ", "O'Neil") // "jose oneil"
 */
export function normalizePersonName(first: string | null | undefined, last: string | null | undefined): string {
  return [first ?? "", last ?? ""]
    .map((part) => part.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""))
    .filter(Boolean)
    .join(" ");
}

/**
 * @example normalizeEmail(" Ada.Lovelace@Example.COM ") // "ada.lovelace@example.com"
 */
export function normalizeEmail(email: string | null | undefined): string {
  return (email ?? "").trim().toLowerCase();
}

/**
 * Digits only, without an international `00` prefix; too short to identify anyone → "".
 * @example normalizePhone("+1 (555) 123-4567") // "15551234567"
 */
export function normalizePhone(phone: string | null | undefined): string {
  const digits = (phone ?? "").replace(/\D/g, "").replace(/^00/, "");
  return digits.length >= 7 ? digits : "";
}

/**
 * Two phone numbers are the same when one ends with the other (country codes and trunk
 * prefixes are often left out), and the shorter has at least 7 digits.
 * @example samePhone("+1 555 123 4567", "555-123-4567") // true
 */
export function samePhone(a: string, b: string): boolean {
  if (a === "" || b === "") return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.endsWith(short.replace(/^0+/, ""));
}
