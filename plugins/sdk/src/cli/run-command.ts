import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { validateManifest } from "@crm/core";
import type { PluginManifest } from "@crm/core";
import { buildPlugin } from "../build/build-plugin.ts";
import { generateEntityTypes } from "../types-gen/generate-entity-types.ts";
import { fetchDefinitions, loadDefinitionFiles } from "../types-gen/load-definitions.ts";
import { flagText } from "./parse-args.ts";
import type { ParsedArgs } from "./parse-args.ts";
import { createPluginClient, describeFailure, resolveTarget } from "./plugin-client.ts";
import { runPluginTests } from "./run-plugin-tests.ts";
import { scaffoldPlugin } from "./scaffold-plugin.ts";

export const USAGE = `crm-plugin <command> [options]

  create <dir>                       scaffold a plugin (plugin.json, src/index.ts, a passing test)
  build    [--dir .] [--minify]      bundle src/index.ts into dist/plugin.js (one IIFE script)
  test     [--dir .]                 run the plugin's tests (vitest; the offline harness)
  types    --from <file|dir>… | --url U --token T   [--out src/entities.ts]
  install  [--dir .] [--settings F]  build and upload; refuses when the plugin is installed
  upgrade  [--dir .] [--settings F]  build and upload a higher version of an installed plugin
                                     (--settings: a JSON file of settings for the new version; without
                                     it the stored settings must fit the new version's settings schema)
  rollback [--dir . | --id ID] [--settings F]
                                     go back to the previous version (--settings: settings for it, when
                                     the stored ones do not fit its settings schema)
  uninstall [--dir . | --id ID]      remove the plugin

Server commands take --url and --token (or CRM_URL and CRM_TOKEN: an administrator's API token).`;

/** Run one CLI command; returns the lines to print. Throws an Error with a message for the user. */
export async function runCommand(args: ParsedArgs, env: Record<string, string | undefined>, cwd: string): Promise<string[]> {
  const dir = resolve(cwd, flagText(args.flags, "dir", ".")!);
  switch (args.command) {
    case "create": {
      const target = args.positional[0];
      if (target === undefined) throw new Error("create needs a folder: crm-plugin create plugins/vip-flag");
      const files = await scaffoldPlugin(resolve(cwd, target));
      return [...files.map((f) => `wrote ${f}`), "next: install dependencies (pnpm install), then crm-plugin test"];
    }
    case "build": {
      const manifest = await readManifest(dir);
      const outfile = join(dir, "dist", "plugin.js");
      const code = await buildPlugin({ entry: join(dir, "src", "index.ts"), outfile, minify: args.flags.minify === true });
      return [`built ${manifest.id}@${manifest.version} → ${outfile} (${code.length} characters)`];
    }
    case "test": {
      if (!(await runPluginTests(dir, args.positional))) throw new Error("tests failed");
      return ["tests passed"];
    }
    case "types": {
      const from = args.positional.length > 0 ? args.positional : typeof args.flags.from === "string" ? [args.flags.from] : [];
      const definitions = from.length > 0 ? await loadDefinitionFiles(from.map((p) => resolve(cwd, p))) : await fetchDefinitions(...target(args, env));
      const out = resolve(cwd, flagText(args.flags, "out", "src/entities.ts")!);
      await writeFile(out, generateEntityTypes(definitions));
      return [`wrote ${out} (${definitions.length} entities)`];
    }
    case "install":
    case "upgrade": {
      const manifest = await readManifest(dir);
      const api = createPluginClient(resolveTarget(args.flags, env));
      const current = await api.get(manifest.id);
      if (args.command === "install" && current.status === 200) throw new Error(`${manifest.id} is installed already (${versionOf(current.body)}); use crm-plugin upgrade.`);
      if (args.command === "upgrade" && current.status === 404) throw new Error(`${manifest.id} is not installed; use crm-plugin install.`);
      const settings = await settingsFlag(args, cwd);
      const code = await buildPlugin({ entry: join(dir, "src", "index.ts"), outfile: join(dir, "dist", "plugin.js") });
      const answer = await api.upload(manifest, code, settings);
      if (answer.status !== 201) throw new Error(describeFailure(`${args.command} of ${manifest.id}@${manifest.version}`, answer));
      return [`${args.command === "install" ? "installed" : "upgraded"} ${manifest.id}@${manifest.version}`];
    }
    case "rollback":
    case "uninstall": {
      const id = typeof args.flags.id === "string" ? args.flags.id : (await readManifest(dir)).id;
      const api = createPluginClient(resolveTarget(args.flags, env));
      const answer = args.command === "rollback" ? await api.rollback(id, await settingsFlag(args, cwd)) : await api.remove(id);
      if (answer.status >= 300) throw new Error(describeFailure(`${args.command} of ${id}`, answer));
      return [args.command === "rollback" ? `rolled ${id} back to ${versionOf(answer.body)}` : `uninstalled ${id}`];
    }
    default:
      throw new Error(args.command === undefined ? USAGE : `Unknown command "${args.command}".\n\n${USAGE}`);
  }
}

/** The settings of `--settings <file.json>`, or undefined without the flag. */
async function settingsFlag(args: ParsedArgs, cwd: string): Promise<unknown> {
  const file = flagText(args.flags, "settings");
  return file === undefined ? undefined : readSettings(resolve(cwd, file));
}

async function readSettings(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`--settings ${file}: ${(error as Error).message}`);
  }
}

function target(args: ParsedArgs, env: Record<string, string | undefined>): [string, string] {
  const { url, token } = resolveTarget(args.flags, env);
  return [url, token];
}

async function readManifest(dir: string): Promise<PluginManifest> {
  const path = join(dir, "plugin.json");
  const checked = validateManifest(JSON.parse(await readFile(path, "utf8")));
  if (!checked.ok) throw new Error(`${path} is not valid:\n${checked.issues.map((i) => `  ${i.pointer || "/"}: ${i.message}`).join("\n")}`);
  return checked.value;
}

function versionOf(body: unknown): string {
  const version = typeof body === "object" && body !== null ? (body as { version?: unknown }).version : undefined;
  return typeof version === "string" ? version : "the previous version";
}
