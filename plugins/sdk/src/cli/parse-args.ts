/** `crm-plugin <command> [positional…] [--flag value | --switch]` */
export interface ParsedArgs {
  command: string | undefined;
  positional: string[];
  flags: Record<string, string | true>;
}

/** Flags that never take a value. */
const SWITCHES = new Set(["minify"]);

/**
 * @example parseArgs(["types", "--from", "schemas/crm", "--out", "src/entities.ts"])
 * // { command: "types", positional: [], flags: { from: "schemas/crm", out: "src/entities.ts" } }
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const next = rest[i + 1];
    if (inline !== undefined) flags[name] = inline;
    else if (!SWITCHES.has(name) && next !== undefined && !next.startsWith("--")) flags[name] = rest[++i]!;
    else flags[name] = true;
  }
  return { command, positional, flags };
}

/** A flag's text, or the fallback; a bare `--flag` with no value is refused. */
export function flagText(flags: Record<string, string | true>, name: string, fallback?: string): string | undefined {
  const value = flags[name];
  if (value === true) throw new Error(`--${name} needs a value.`);
  return value ?? fallback;
}
