/** One token of an expression. `error` tokens carry the lexical problem the parser reports on reaching them. */
export interface Token {
  type: "number" | "text" | "name" | "variable" | "symbol" | "end" | "error";
  /** The token as written. */
  raw: string;
  /** number: the digits as written; text: the unescaped string; name: the dotted path; symbol: the symbol; error: the message. */
  value: string;
  start: number;
  end: number;
  /** error tokens: the issue code. */
  code?: string;
}

/** Most digits a number literal may have: NUMERIC columns hold at most 38. */
export const MAX_NUMBER_DIGITS = 38;

const SYMBOLS = ["==", "!=", "<>", "<=", ">=", "&&", "||", "(", ")", "[", "]", ",", "+", "-", "*", "/", "%", "&", "=", "<", ">", "!"];
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
// Digits, an optional fraction, and a trailing identifier character caught so that `12abc` is one bad token.
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)[A-Za-z0-9_.]*/y;
const SPACE = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)+/y;

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0" };

/**
 * Split an expression into tokens; whitespace and comments (`// …`, `/* … *\/`) separate tokens.
 * Always ends with an `end` token; a lexical problem becomes an `error` token in place.
 * @example tokenize("a + 1").map((t) => t.value) // ["a", "+", "1", ""]
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (true) {
    SPACE.lastIndex = pos;
    if (SPACE.exec(source)) pos = SPACE.lastIndex;
    if (pos >= source.length) break;
    const token = readToken(source, pos);
    tokens.push(token);
    if (token.type === "error") return tokens;
    pos = token.end;
  }
  tokens.push({ type: "end", raw: "", value: "", start: source.length, end: source.length });
  return tokens;
}

function readToken(source: string, pos: number): Token {
  const char = source[pos]!;
  if (char === '"' || char === "'") return readText(source, pos, char);
  if (source.startsWith("/*", pos)) return error(pos, source.length, "INVALID_TOKEN", "the comment is not closed with */");
  if (/[0-9.]/.test(char)) {
    NUMBER.lastIndex = pos;
    if (NUMBER.exec(source)) return readNumber(source, pos, NUMBER.lastIndex);
  }
  if (char === "$") {
    IDENTIFIER.lastIndex = pos + 1;
    const match = IDENTIFIER.exec(source);
    if (!match) return error(pos, pos + 1, "INVALID_TOKEN", "expected a variable name after $");
    return { type: "variable", raw: "$" + match[0], value: match[0], start: pos, end: IDENTIFIER.lastIndex };
  }
  IDENTIFIER.lastIndex = pos;
  if (IDENTIFIER.exec(source)) return readName(source, pos);
  const symbol = SYMBOLS.find((s) => source.startsWith(s, pos));
  if (symbol) return { type: "symbol", raw: symbol, value: symbol, start: pos, end: pos + symbol.length };
  const shown = String.fromCodePoint(source.codePointAt(pos)!);
  return error(pos, pos + shown.length, "INVALID_TOKEN", `unexpected character ${JSON.stringify(shown)}`);
}

/** A name, or a dotted path of names with no spaces around the dots: `account.owner.name`. */
function readName(source: string, start: number): Token {
  let end = IDENTIFIER.lastIndex;
  while (source[end] === ".") {
    IDENTIFIER.lastIndex = end + 1;
    if (!IDENTIFIER.exec(source)) return error(end + 1, end + 1, "EXPRESSION_SYNTAX", "expected a field name after the dot");
    end = IDENTIFIER.lastIndex;
  }
  const raw = source.slice(start, end);
  return { type: "name", raw, value: raw, start, end };
}

function readNumber(source: string, start: number, end: number): Token {
  const raw = source.slice(start, end);
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(raw)) {
    return error(start, end, "INVALID_NUMBER", `${JSON.stringify(raw)} is not a number; write numbers like 1200 or 0.15`);
  }
  const digits = raw.replace(".", "").replace(/^0+(?=\d)/, "");
  if (digits.length > MAX_NUMBER_DIGITS) {
    return error(start, end, "INVALID_NUMBER", `a number may have at most ${MAX_NUMBER_DIGITS} digits; this one has ${digits.length}`);
  }
  return { type: "number", raw, value: raw, start, end };
}

function readText(source: string, start: number, quote: string): Token {
  let value = "";
  let pos = start + 1;
  while (pos < source.length) {
    const char = source[pos]!;
    if (char === quote) return { type: "text", raw: source.slice(start, pos + 1), value, start, end: pos + 1 };
    if (char !== "\\") {
      value += char;
      pos++;
      continue;
    }
    const next = source[pos + 1];
    if (next === "u") {
      const hex = /^[0-9a-fA-F]{4}/.exec(source.slice(pos + 2, pos + 6));
      if (!hex) return error(pos, pos + 2, "INVALID_STRING", "\\u must be followed by four hex digits");
      value += String.fromCharCode(parseInt(hex[0], 16));
      pos += 6;
      continue;
    }
    const escaped = next === undefined ? undefined : ESCAPES[next];
    if (escaped === undefined) {
      const shown = next === undefined ? "\\" : `\\${next}`;
      return error(pos, pos + shown.length, "INVALID_STRING", `unknown escape ${shown}; use \\" \\' \\\\ \\n \\t \\r or \\uXXXX`);
    }
    value += escaped;
    pos += 2;
  }
  return error(start, source.length, "INVALID_STRING", `the text starting here is not closed with ${quote}`);
}

function error(start: number, end: number, code: string, message: string): Token {
  return { type: "error", raw: "", value: message, start, end, code };
}
