/** One problem found in an input, located by a JSON Pointer (RFC 6901) into that input. */
export interface Issue {
  /** Stable SCREAMING_SNAKE code, never renamed once shipped. */
  code: string;
  /** JSON Pointer into the validated document, e.g. `/fields/3/key`. `""` is the whole document. */
  pointer: string;
  /** Human-readable message in English. */
  message: string;
}

/** Validators return every issue at once, never only the first. */
export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

/** Escape one reference token for a JSON Pointer. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Build a JSON Pointer from tokens.
 * @example pointer("fields", 2, "key") // "/fields/2/key"
 */
export function pointer(...tokens: Array<string | number>): string {
  return tokens.map((t) => "/" + escapePointerToken(t)).join("");
}
