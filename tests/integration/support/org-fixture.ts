import type { RolePermissions } from "@crm/core";
import { login, type TestSession } from "./login.ts";
import type { TestServer } from "./test-server.ts";

/** Every fixture user's password. */
export const ORG_PASSWORD = "org-fixture-password-1";

/**
 * Who sits where, as plain data, so tests can work out expected scopes without asking the server.
 * Departments: Sales > Sales East > Sales East Team, and Finance beside Sales. Team "East" is owner
 * and teammate, who sit in different departments: team, department and subtree scopes all differ.
 */
export const ORG_PLAN = {
  departments: {
    sales: { name: "Sales", parent: null },
    salesEast: { name: "Sales East", parent: "sales" },
    salesEastTeam: { name: "Sales East Team", parent: "salesEast" },
    finance: { name: "Finance", parent: null },
  },
  teams: { east: ["owner", "teammate"] },
  users: {
    owner: { role: "sales_rep", department: "salesEast" },
    teammate: { role: "sales_rep", department: "salesEastTeam" },
    colleague: { role: "sales_rep", department: "salesEast" },
    manager: { role: "sales_manager", department: "sales" },
    outsider: { role: "sales_rep", department: "finance" },
    norole: { role: null, department: "salesEast" },
    finance: { role: "finance", department: "finance" },
  },
} as const satisfies {
  departments: Record<string, { name: string; parent: string | null }>;
  teams: Record<string, readonly string[]>;
  users: Record<string, { role: string | null; department: string }>;
};

export type OrgUserKey = keyof typeof ORG_PLAN.users;
export type OrgDepartmentKey = keyof typeof ORG_PLAN.departments;

/** A fixture user: their id and a signed-in session (`headers` carry its cookie and CSRF token). */
export interface OrgMember {
  id: string;
  email: string;
  session: TestSession;
  headers: Record<string, string>;
}

/** An API token and the headers that send it. */
export interface OrgToken {
  id: string;
  token: string;
  headers: Record<string, string>;
}

export interface Org {
  departments: Record<OrgDepartmentKey, string>;
  teams: Record<keyof typeof ORG_PLAN.teams, string>;
  /** Role ids by key (the shipped ones, and any made with `createRole`). */
  roles: Record<string, string>;
  users: Record<OrgUserKey, OrgMember>;
  /** `salesRep`: an admin-issued role token of sales_rep (no user); `owner`: owner's own token. */
  tokens: { salesRep: OrgToken; owner: OrgToken };
}

/** `Authorization: Bearer …` headers for a token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function adminPost(server: TestServer, path: string, body: unknown, headers?: Record<string, string>): Promise<any> {
  const res = await server.request("POST", path, body, headers);
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Build ORG_PLAN through `/api/admin/*` as the test server's first admin (once per server: emails are
 * fixed), sign every user in, and issue the two tokens.
 * @example const org = await buildOrg(server); await server.request("GET", "/api/records/account", undefined, org.users.owner.headers);
 */
export async function buildOrg(server: TestServer): Promise<Org> {
  const listed = await server.request("GET", "/api/admin/roles");
  const roles: Record<string, string> = Object.fromEntries((listed.body.items as Array<{ id: string; key: string }>).map((r) => [r.key, r.id]));
  const departments = {} as Record<OrgDepartmentKey, string>;
  // Parents come before their children in ORG_PLAN.
  for (const [key, plan] of Object.entries(ORG_PLAN.departments) as Array<[OrgDepartmentKey, { name: string; parent: OrgDepartmentKey | null }]>) {
    departments[key] = (await adminPost(server, "/api/admin/departments", { name: plan.name, parentId: plan.parent ? departments[plan.parent] : null })).id;
  }
  const ids = {} as Record<OrgUserKey, string>;
  for (const [key, plan] of Object.entries(ORG_PLAN.users) as Array<[OrgUserKey, { role: string | null; department: OrgDepartmentKey }]>) {
    const roleIds = plan.role ? [roles[plan.role]!] : [];
    ids[key] = (await adminPost(server, "/api/admin/users", { email: `${key}@org.test`, name: key, password: ORG_PASSWORD, roleIds, departmentId: departments[plan.department] })).id;
  }
  const teams = {} as Org["teams"];
  for (const [key, members] of Object.entries(ORG_PLAN.teams) as Array<[keyof typeof ORG_PLAN.teams, readonly OrgUserKey[]]>) {
    teams[key] = (await adminPost(server, "/api/admin/teams", { name: key, memberIds: members.map((m) => ids[m]) })).id;
  }
  const users = {} as Record<OrgUserKey, OrgMember>;
  for (const key of Object.keys(ids) as OrgUserKey[]) {
    const session = await login(server, `${key}@org.test`, ORG_PASSWORD);
    users[key] = { id: ids[key], email: `${key}@org.test`, session, headers: session.headers };
  }
  const salesRep = await adminPost(server, "/api/admin/tokens", { name: "sales_rep integration", roleId: roles.sales_rep });
  const owner = await adminPost(server, "/api/me/tokens", { name: "owner's token" }, users.owner.headers);
  return {
    departments,
    teams,
    roles,
    users,
    tokens: {
      salesRep: { id: salesRep.id, token: salesRep.token, headers: bearer(salesRep.token) },
      owner: { id: owner.id, token: owner.token, headers: bearer(owner.token) },
    },
  };
}

/** Create a role with these permissions (entity and field ids as keys); resolves to its id, also stored in `org.roles`. */
export async function createRole(server: TestServer, org: Org, key: string, permissions: RolePermissions): Promise<string> {
  const id = (await adminPost(server, "/api/admin/roles", { key, name: key, permissions })).id as string;
  org.roles[key] = id;
  return id;
}

/** Give a user exactly these roles (replacing the ones they hold). */
export async function setRoles(server: TestServer, userId: string, roleIds: readonly string[]): Promise<void> {
  const res = await server.request("PATCH", `/api/admin/users/${userId}`, { roleIds });
  if (res.status !== 200) throw new Error(`setting roles answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Replace a role's permissions; callers holding it see the change on their next request. */
export async function setPermissions(server: TestServer, roleId: string, permissions: RolePermissions): Promise<void> {
  const res = await server.request("PATCH", `/api/admin/roles/${roleId}`, { permissions });
  if (res.status !== 200) throw new Error(`changing a role answered ${res.status}: ${JSON.stringify(res.body)}`);
}
