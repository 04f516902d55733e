import fc from "fast-check";
import { toJsonText } from "./json-values.ts";

/** How a body goes on the wire: its content type and whether the JSON text is intact. */
export interface Envelope {
  contentType: string | undefined;
  form: "json" | "empty" | "whitespace" | "truncated" | "bom" | "invalid-utf8" | "trailing";
}

const WRONG_TYPES = [undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "json", "application/xml", "*/*", ""] as const;
const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "application/merge-patch+json", "application/vnd.api+json", "APPLICATION/JSON", "application/json; charset=utf-16"] as const;

/** Mostly a plain JSON body; sometimes a wrong content type, an empty, cut or badly encoded body. */
export function envelope(): fc.Arbitrary<Envelope> {
  return fc.oneof(
    { weight: 24, arbitrary: fc.constant<Envelope>({ contentType: "application/json", form: "json" }) },
    { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES).map((contentType): Envelope => ({ contentType, form: "json" })) },
    { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES).map((contentType): Envelope => ({ contentType, form: "json" })) },
    { weight: 2, arbitrary: fc.constantFrom<Envelope["form"]>("empty", "whitespace", "truncated", "bom", "invalid-utf8", "trailing").map((form): Envelope => ({ contentType: "application/json", form })) },
  );
}

/** Headers and body of a request carrying `value` in `envelope`. */
export function encodeBody(value: unknown, env: Envelope): { headers: Record<string, string>; body: string | Uint8Array } {
  const encoded = wire(value, env);
  // fetch labels a string body text/plain; bytes go without a content type, as intended.
  if (env.contentType === undefined && typeof encoded.body === "string") return { headers: encoded.headers, body: new TextEncoder().encode(encoded.body) };
  return encoded;
}

function wire(value: unknown, env: Envelope): { headers: Record<string, string>; body: string | Uint8Array } {
  const headers: Record<string, string> = env.contentType === undefined ? {} : { "content-type": env.contentType };
  const text = toJsonText(value);
  switch (env.form) {
    case "json":
      return { headers, body: text };
    case "empty":
      return { headers, body: "" };
    case "whitespace":
      return { headers, body: " \n\t " };
    case "truncated":
      return { headers, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    case "bom":
      return { headers, body: "\ufeff" + text };
    case "trailing":
      return { headers, body: text + " }" };
    case "invalid-utf8": {
      const bytes = new TextEncoder().encode(text);
      const broken = new Uint8Array(bytes.length + 3);
      broken.set(bytes.subarray(0, 1), 0);
      broken.set([0xff, 0xc0, 0xaf], 1);
      broken.set(bytes.subarray(1), 4);
      return { headers, body: broken };
    }
  }
}
