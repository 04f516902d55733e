import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Ajv as AjvInstance } from "ajv";

export type Ajv = AjvInstance;

/**
 * A JSON Schema 2020-12 validator configured the way every core validator expects:
 * all errors at once, `discriminator`, the ajv-formats formats and `formatMinimum`/`formatMaximum`,
 * `verbose` errors (the translators read `parentSchema` and `data`), and the `x-issue-code`
 * annotation that schemas use to name the issue code of a malformed value.
 *
 * @example
 * const ajv = createAjv();
 * const validate = ajv.compile({ type: "string", format: "email" });
 * validate("a@b.co"); // true
 */
export function createAjv(): Ajv {
  const ajv = new Ajv2020.default({ allErrors: true, discriminator: true, verbose: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: "x-issue-code", schemaType: "string" });
  return ajv;
}
