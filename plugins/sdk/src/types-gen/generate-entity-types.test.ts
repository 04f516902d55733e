import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { generateEntityTypes } from "./generate-entity-types.ts";
import { loadDefinitionFiles } from "./load-definitions.ts";

const crm = fileURLToPath(new URL("../../../../schemas/crm", import.meta.url));

describe("generateEntityTypes", () => {
  it("types every field kind of the shipped CRM", async () => {
    const text = generateEntityTypes(await loadDefinitionFiles([crm]));
    expect(text).toContain("export interface Opportunity {");
    expect(text).toContain("  amount?: Money | null;");
    expect(text).toContain('  stage?: "prospecting" | "qualification" | "needs_analysis" | "proposal" | "negotiation" | "closed_won" | "closed_lost" | null;');
    expect(text).toContain("  account?: string | null;");
    expect(text).toContain("  products?: string[] | null;");
    expect(text).toContain("  score?: number | null;");
    expect(text).toContain("  campaignMember: CampaignMember;");
    expect(text).not.toContain("activities?:"); // oneToMany is not part of a record
  });

  it("keeps @crm/plugin-sdk/crm (the shipped CRM's types) current", async () => {
    const shipped = await readFile(fileURLToPath(new URL("../crm-entities.ts", import.meta.url)), "utf8");
    expect(shipped).toBe(generateEntityTypes(await loadDefinitionFiles([crm])));
  });

  it("types multiSelect, json and an empty entity", () => {
    const text = generateEntityTypes([
      { id: "t", key: "tagged", label: { en: "Tagged */" }, fields: [
        { id: "t-tags", key: "tags", type: "multiSelect", label: { en: "Tags" }, options: [{ key: "a", label: { en: "A" } }, { key: "b", label: { en: "B" } }] },
        { id: "t-data", key: "data", type: "json", label: { en: "Data" } },
      ] },
    ]);
    expect(text).toContain('  tags?: Array<"a" | "b"> | null;');
    expect(text).toContain("  data?: JsonValue | null;");
    expect(text).toContain("/** Tagged *\\/ (`tagged`) */");
  });
});
