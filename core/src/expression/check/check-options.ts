import { didYouMean } from "../suggest.ts";
import type { TypedExpression } from "../typed-expression.ts";
import { report, type Checker } from "./checker.ts";

/**
 * When one side of a comparison holds option keys (a select field) and the other side is text
 * written in the expression, the text must be one of the keys: `stage = "closed_wno"` is a mistake
 * the admin should see now, not a condition that silently never holds. Works both ways round.
 */
export function checkOptionLiterals(c: Checker, subject: TypedExpression, others: readonly TypedExpression[]): void {
  const sides: Array<[TypedExpression, readonly TypedExpression[]]> = [[subject, others]];
  for (const other of others) sides.push([other, [subject]]);
  for (const [select, literals] of sides) {
    if (select.type.kind !== "select") continue;
    const options = select.type.options;
    for (const literal of literals) {
      if (literal.kind !== "literal" || typeof literal.value !== "string" || options.includes(literal.value)) continue;
      const shown = options.length > 12 ? `${options.slice(0, 12).join(", ")}, …` : options.join(", ");
      report(c, "UNKNOWN_OPTION", literal.span, `${JSON.stringify(literal.value)} is not an option key here${didYouMean(literal.value, options)}; the options are ${shown}`);
    }
  }
}
