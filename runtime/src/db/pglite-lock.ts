import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** PGlite is one process's database: a second process opening the same folder would corrupt it. */
export class DatabaseInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Take the data folder for this process, or fail clearly when a live process holds it. A lock left by a
 * process that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, "crm.lock");
  const holder = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
  if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
    throw new DatabaseInUseError(
      `The embedded database in ${dataDir} is in use by process ${holder} (a running server?). Stop it first, or set DATABASE_URL to use PostgreSQL, which many processes can share.`,
    );
  }
  await writeFile(file, String(process.pid));
  return () => rm(file, { force: true });
}
