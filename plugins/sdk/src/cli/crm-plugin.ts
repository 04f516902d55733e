#!/usr/bin/env node
import { parseArgs } from "./parse-args.ts";
import { runCommand } from "./run-command.ts";

try {
  for (const line of await runCommand(parseArgs(process.argv.slice(2)), process.env, process.cwd())) console.log(line);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
