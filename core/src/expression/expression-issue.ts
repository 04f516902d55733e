import type { Issue } from "../issues.ts";
import type { Span } from "./ast.ts";

/**
 * A problem in an expression's text, located twice: by JSON Pointer to the expression inside the
 * validated document (as every other issue), and inside the text by UTF-16 offset and length and by
 * 1-based line and column (what an editor highlights). The message ends with "(line L, column C)".
 */
export interface ExpressionIssue extends Issue {
  offset: number;
  length: number;
  line: number;
  column: number;
}

/** Line and column (both 1-based, columns in UTF-16 units) of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** An issue at `span` of `source`. */
export function expressionIssue(source: string, pointer: string, code: string, span: Span, message: string): ExpressionIssue {
  const { line, column } = lineColumn(source, span.start);
  return {
    code,
    pointer,
    message: `${message} (line ${line}, column ${column})`,
    offset: span.start,
    length: Math.max(0, span.end - span.start),
    line,
    column,
  };
}

/** `Result` whose issues carry text positions. */
export type ExpressionResult<T> = { ok: true; value: T } | { ok: false; issues: ExpressionIssue[] };
