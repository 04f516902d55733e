/** `encodeURIComponent` that survives lone surrogates (they cannot be UTF-8 encoded; U+FFFD goes instead). */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "\ufffd"));
  }
}
