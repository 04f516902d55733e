import { existsSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium (`.ci/run` installs it); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Set to `1` to let browser tests skip where no chromium is installed (they fail otherwise). */
export const ALLOW_NO_BROWSER = process.env.CRM_ALLOW_NO_BROWSER === "1";
export const hasChromium = existsSync(CHROMIUM_PATH);

/**
 * Headless chromium, or a loud failure naming the fix when it is missing, unless
 * `CRM_ALLOW_NO_BROWSER=1` (then the suite is skipped, see `hasChromium`).
 */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) {
    throw new Error(`No chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium), set CHROMIUM_PATH, or set CRM_ALLOW_NO_BROWSER=1 to skip the browser tests.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A fresh folder for this run's screenshots (git-ignored), printed so people can look at them. */
export function screenshotFolder(name: string): string {
  const folder = resolve(import.meta.dirname, "..", "screenshots", name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  console.log(`browser test screenshots: ${folder}`);
  return folder;
}
