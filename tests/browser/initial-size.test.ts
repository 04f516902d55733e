import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { END_USER_ENTRIES, INITIAL_JS_BUDGET, initialJs } from "../../studio/scripts/initial-size.ts";

const dist = resolve(import.meta.dirname, "../../studio/dist");

describe("the studio's build (made once per run by build-studio.ts)", () => {
  it(`keeps the end-user route's initial JavaScript within ${INITIAL_JS_BUDGET / 1024} KB gzipped`, () => {
    const { files, total } = initialJs(dist);
    console.log(`end-user route initial JS: ${(total / 1024).toFixed(1)} KB gzipped in ${files.length} files`);
    expect(files.length).toBeGreaterThan(3);
    expect(total).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
  });

  it("leaves admin screens and the record page out of the end user's first load", () => {
    const initial = new Set(initialJs(dist).files.map((f) => f.file));
    const lazy = initialJs(dist, ["src/admin/AdminLayout.vue", "src/admin/AdminEntities.vue", "src/views/RecordPageView.vue"]).files.filter((f) => f.file.match(/Admin|RecordPage/));
    expect(lazy.length).toBe(3);
    for (const chunk of lazy) expect(initial.has(chunk.file), chunk.file).toBe(false);
    expect(END_USER_ENTRIES).toContain("index.html");
  });
});
