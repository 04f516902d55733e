import postgres from "postgres";
import { callApi, createUserToken } from "./bench-auth.ts";

export interface BenchOrganisation {
  /** Users who own records: everyone in the area departments. */
  owners: string[];
  /** The owners inside the manager's subtree. */
  subtreeOwners: Set<string>;
  manager: { userId: string; token: string };
}

/**
 * A department tree of three levels (the company, `regions` regions, `areas` areas in each region)
 * with `usersPerArea` record owners in every area, and a manager at the head of the first region who
 * holds one role: read scope `subtree` on `entityId`. Departments, the role and the manager go
 * through the admin API; the owners (who never sign in) are inserted in SQL, which spares 200 password
 * hashes. Returns the owners, those in the manager's subtree, and an API token of the manager.
 */
export async function createOrganisation(
  url: string,
  databaseUrl: string,
  adminToken: string,
  shape: { entityId: string; regions: number; areas: number; usersPerArea: number },
): Promise<BenchOrganisation> {
  const department = async (name: string, parentId: string | null) =>
    (await callApi<{ id: string }>(url, "POST", "/api/admin/departments", { body: { name, parentId }, auth: adminToken, expect: 201 })).body.id;
  const company = await department("Company", null);
  const regions: Array<{ id: string; areas: string[] }> = [];
  for (let r = 1; r <= shape.regions; r++) {
    const id = await department(`Region ${r}`, company);
    const areas: string[] = [];
    for (let a = 1; a <= shape.areas; a++) areas.push(await department(`Region ${r} area ${a}`, id));
    regions.push({ id, areas });
  }

  const role = await callApi<{ id: string }>(url, "POST", "/api/admin/roles", {
    body: { key: "bench_subtree_reader", name: "Reads its subtree", permissions: { entities: { [shape.entityId]: { read: "subtree" } } } },
    auth: adminToken,
    expect: 201,
  });
  const manager = { email: "bench-manager@example.test", password: "bench-manager-password" };
  await callApi(url, "POST", "/api/admin/users", {
    body: { ...manager, name: "Region manager", departmentId: regions[0]!.id, roleIds: [role.body.id] },
    auth: adminToken,
    expect: 201,
  });

  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const areas = regions.flatMap((region, r) => region.areas.map((id) => ({ id, inSubtree: r === 0 })));
    const owners: string[] = [];
    const subtreeOwners = new Set<string>();
    for (const [i, area] of areas.entries()) {
      const rows = await sql<{ id: string }[]>`
        insert into users (email, name, department_id)
        select ${`owner-${i}-`}::text || n || '@example.test', ${`Owner ${i}-`}::text || n, ${area.id}::uuid
        from generate_series(1, ${shape.usersPerArea}) n
        returning id::text as id`;
      for (const { id } of rows) {
        owners.push(id);
        if (area.inSubtree) subtreeOwners.add(id);
      }
    }
    const { token, userId } = await createUserToken(url, manager);
    return { owners, subtreeOwners, manager: { userId, token } };
  } finally {
    await sql.end();
  }
}
