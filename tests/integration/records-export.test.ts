import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { login } from "./support/login.ts";
import { useTestServer } from "./support/test-server.ts";

const PASSWORD = "a-long-password-for-export";
const ROWS = 2_300; // more than two export pages of 1,000

/** RFC 4180 lines of a small CSV: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += ch;
  }
  return rows;
}

describe.each(databaseTargets)("CSV export on $name", (target) => {
  const server = useTestServer(target, { seed: false });
  const definition = entity("sale", [
    { key: "title", type: "text" },
    { key: "amount", type: "currency", defaultCurrency: "EUR" },
    { key: "tags", type: "multiSelect", options: [{ key: "a", label: { en: "A" } }, { key: "b", label: { en: "B" } }] },
    { key: "secretNote", type: "text" },
  ]);
  let repHeaders: Record<string, string>;
  let repId: string;

  beforeAll(async () => {
    expect((await server.request("POST", "/api/meta/entities", { definition })).status).toBe(201);
    for (let start = 0; start < ROWS; start += 500) {
      const batch = Array.from({ length: Math.min(500, ROWS - start) }, (_, i) => ({ title: `Sale ${String(start + i).padStart(5, "0")}`, amount: { amount: start + i, currency: "EUR" }, tags: ["a"], secretNote: "hidden" }));
      expect((await server.request("POST", "/api/records/sale", batch)).status).toBe(201);
    }
    // A role that exports only its own records and never sees the note.
    const fieldId = definition.fields.find((f) => f.key === "secretNote")!.id;
    const role = await server.request("POST", "/api/admin/roles", {
      key: "exporter",
      name: "Exporter",
      permissions: { entities: { [definition.id]: { read: "own", update: "own", create: true, export: true, fields: { [fieldId]: "none" } } } },
    });
    expect(role.status).toBe(201);
    const rep = await server.request("POST", "/api/admin/users", { email: "exporter@example.test", name: "Exporter", password: PASSWORD, roleIds: [role.body.id] });
    expect(rep.status).toBe(201);
    repId = rep.body.id;
    repHeaders = (await login(server, "exporter@example.test", PASSWORD)).headers;
    for (const title of ["=cmd|' /C calc'!A0", "Mine, with \"quotes\""]) {
      expect((await server.request("POST", "/api/records/sale", { title, amount: { amount: 1, currency: "USD" } }, repHeaders)).status).toBe(201);
    }
  });

  it("streams every matching record, page after page, in the sort order, as CSV", async () => {
    const response = await fetch(`${server.url}/api/records/sale/export?sort=title&filter=tags:contains:a`, { headers: { authorization: `Bearer ${server.admin.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="sale.csv"');
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["id", "ownerId", "createdAt", "updatedAt", "createdBy", "updatedBy", "version", "title", "amount", "amount.currency", "tags", "secretNote"]);
    expect(rows).toHaveLength(ROWS);
    expect(rows.map((r) => r[7])).toEqual(Array.from({ length: ROWS }, (_, i) => `Sale ${String(i).padStart(5, "0")}`));
    expect(rows[1]!.slice(8)).toEqual(["1", "EUR", "a", "hidden"]);
    expect(new Set(rows.map((r) => r[0])).size).toBe(ROWS);
  });

  it("exports only what the caller may read, defuses spreadsheet formulas, and needs the export permission", async () => {
    const response = await fetch(`${server.url}/api/records/sale/export?sort=title`, { headers: repHeaders });
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).not.toContain("secretNote");
    expect(rows.map((r) => r[1])).toEqual([repId, repId]);
    expect(rows.map((r) => r[header!.indexOf("title")])).toEqual(["'=cmd|' /C calc'!A0", 'Mine, with "quotes"']);

    const withoutExport = await server.request("PATCH", `/api/admin/roles/${(await server.request("GET", "/api/admin/roles")).body.items.find((r: { key: string }) => r.key === "exporter").id}`, {
      permissions: { entities: { [definition.id]: { read: "own" } } },
    });
    expect(withoutExport.status).toBe(200);
    const refused = await server.request("GET", "/api/records/sale/export", undefined, repHeaders);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("ACCESS_DENIED");
  });

  it("answers a bad export query with a problem before streaming anything", async () => {
    const hidden = await server.request("GET", "/api/records/sale/export?limit=5&cursor=x");
    expect(hidden.status).toBe(400);
    expect(hidden.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/limit", "/cursor"]);
    const badFilter = await server.request("GET", "/api/records/sale/export?filter=nope:eq:1");
    expect(badFilter.status).toBe(400);
    expect(badFilter.headers.get("content-type")).toContain("application/problem+json");
  });
});
