import { afterAll, describe, expect, it } from "vitest";
import { BlockedTargetError, createGuardedFetch } from "./create-guarded-fetch.ts";

const dns: Record<string, Array<{ address: string; family: number }>> = {
  "internal.test": [{ address: "10.0.0.5", family: 4 }],
  "mixed.test": [{ address: "93.184.216.34", family: 4 }, { address: "::1", family: 6 }],
};
const guarded = createGuardedFetch({ allowPrivateTargets: false, resolve: async (hostname) => dns[hostname] ?? [] });
const init = { method: "POST" as const, headers: {}, body: "{}", signal: AbortSignal.timeout(2000), redirect: "manual" as const };

async function refusal(url: string): Promise<unknown> {
  try {
    await guarded.fetch(url, init);
  } catch (error) {
    let e: unknown = error;
    while (e instanceof Error && !(e instanceof BlockedTargetError) && e.cause) e = e.cause;
    return e;
  }
  return undefined;
}

describe("createGuardedFetch", () => {
  afterAll(() => guarded.close());

  it.each([
    ["http://internal.test/hook", /resolves to 10\.0\.0\.5/],
    ["https://mixed.test/hook", /resolves to ::1/],
    ["http://localhost:8080/", /is this machine/],
    ["http://127.0.0.1:8080/", /blocked address/],
    ["http://[::ffff:a9fe:a9fe]/", /blocked address/],
  ])("refuses %s after resolving it", async (url, message) => {
    const error = await refusal(url);
    expect(error).toBeInstanceOf(BlockedTargetError);
    expect((error as Error).message).toMatch(message);
  });
});
