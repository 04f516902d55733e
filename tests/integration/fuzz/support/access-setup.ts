import { createApiToken } from "@crm/runtime";
import type { TestServer } from "../../support/test-server.ts";
import type { Tables } from "./access-records.ts";
import { DEFINITIONS, ORG, PROBE_PERMISSIONS } from "./access-world.ts";

/**
 * Build one database of the differential test: the entities through the meta API, the organisation
 * with fixed ids (so record JSON naming owners and authors is the same in both databases), the probe's
 * role through the admin API, and the rows with every column given. Returns the probe's headers.
 */
export async function setUpWorld(server: TestServer, tables: Tables): Promise<Record<string, string>> {
  const created = await server.request("POST", "/api/meta/entities", { definitions: DEFINITIONS });
  if (created.status !== 201) throw new Error(`creating the entities answered ${created.status}: ${JSON.stringify(created.body)}`);
  const role = await server.request("POST", "/api/admin/roles", { key: "probe", name: "Probe", permissions: PROBE_PERMISSIONS });
  if (role.status !== 201) throw new Error(`creating the role answered ${role.status}: ${JSON.stringify(role.body)}`);

  const { departments: d, teams: t, users: u } = ORG;
  await insertRows(server, "public.departments", [
    { id: d.hq, name: "HQ", parent_id: null, path: `/${d.hq}/` },
    { id: d.sales, name: "Sales", parent_id: d.hq, path: `/${d.hq}/${d.sales}/` },
    { id: d.other, name: "Other", parent_id: null, path: `/${d.other}/` },
  ]);
  const department = { probe: d.sales, mate: d.sales, peer: d.sales, outsider: d.other, boss: d.hq };
  await insertRows(server, "public.users", Object.entries(u).map(([name, id]) => ({ id, email: `${name}@example.test`, name, department_id: department[name as keyof typeof u] })));
  await insertRows(server, "public.teams", [{ id: t.alpha, name: "Alpha" }, { id: t.beta, name: "Beta" }]);
  await insertRows(server, "public.team_members", [
    { team_id: t.alpha, user_id: u.probe },
    { team_id: t.alpha, user_id: u.mate },
    { team_id: t.beta, user_id: u.peer },
    { team_id: t.beta, user_id: u.outsider },
  ]);
  await insertRows(server, "public.user_roles", [{ user_id: u.probe, role_id: role.body.id }]);

  await insertRows(server, `data."region"`, tables.region);
  await insertRows(server, `data."label"`, tables.label);
  // Parents may come later in the list: insert without them, then set them.
  await insertRows(server, `data."company"`, tables.company.map((row) => ({ ...row, parent: null })));
  for (const row of tables.company) if (row["parent"] !== null) await server.sql(`UPDATE data."company" SET "parent" = $1 WHERE "id" = $2`, [row["parent"], row["id"]]);
  await insertRows(server, `data."deal"`, tables.deal);
  await insertRows(server, `data."deal_labels"`, tables.deal_labels);

  const { token } = await createApiToken(server.runtime.db, { name: "probe", userId: u.probe, roleId: null, createdBy: null, expiresAt: null });
  return { authorization: `Bearer ${token}` };
}

/** One multi-row INSERT; every row has the same columns. */
async function insertRows(server: TestServer, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const params: unknown[] = [];
  const values = rows.map((row) => `(${columns.map((column) => (params.push(row[column] ?? null), `$${params.length}`)).join(", ")})`);
  await server.sql(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${values.join(", ")}`, params);
}
