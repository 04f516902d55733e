import type { DemoData, DemoRecord } from "./generate-demo-data.ts";

/**
 * The demo's organisation: a sales department with two regions below it, a service department and
 * finance; a sales manager above the regions, reps in each region, one team across both regions, and
 * a finance user. Fixed ids, so loading twice adds nothing and records can name their owners.
 */
export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: "sales_manager" | "sales_rep" | "finance";
  departmentId: string;
  managerId?: string;
}

const id = (n: number) => `d3e0c0de-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const DEMO_DEPARTMENTS = [
  { id: id(1), name: "Sales", parentId: null },
  { id: id(2), name: "Sales East", parentId: id(1) },
  { id: id(3), name: "Sales West", parentId: id(1) },
  { id: id(4), name: "Service", parentId: null },
  { id: id(5), name: "Finance", parentId: null },
] as const;

const MANAGER = id(100);

export const DEMO_USERS: readonly DemoUser[] = [
  { id: MANAGER, email: "maria.manager@demo.test", name: "Maria Manager", role: "sales_manager", departmentId: id(1) },
  { id: id(101), email: "eli.east@demo.test", name: "Eli East", role: "sales_rep", departmentId: id(2), managerId: MANAGER },
  { id: id(102), email: "erin.east@demo.test", name: "Erin East", role: "sales_rep", departmentId: id(2), managerId: MANAGER },
  { id: id(103), email: "wang.west@demo.test", name: "Wang West", role: "sales_rep", departmentId: id(3), managerId: MANAGER },
  { id: id(104), email: "wes.west@demo.test", name: "Wes West", role: "sales_rep", departmentId: id(3), managerId: MANAGER },
  { id: id(105), email: "fay.finance@demo.test", name: "Fay Finance", role: "finance", departmentId: id(5) },
];

/** One team across both regions: its members see each other's customers. */
export const DEMO_TEAMS = [{ id: id(200), name: "Key accounts", memberIds: [id(101), id(103)] }] as const;

const REPS = DEMO_USERS.filter((u) => u.role === "sales_rep").map((u) => u.id);

/**
 * Give every demo record an owner, in place: accounts go round the reps; contacts, opportunities,
 * cases and activities follow their account; leads go round the reps; reference data (products,
 * campaigns) and campaign members belong to the manager.
 */
export function assignDemoOwners(data: DemoData): void {
  const accountOwner = new Map<string, string>();
  const byIndex = (i: number) => REPS[i % REPS.length]!;
  const followAccount = (record: DemoRecord, i: number) => (typeof record.account === "string" ? accountOwner.get(record.account) : undefined) ?? byIndex(i);
  for (const { entity, records } of data) {
    records.forEach((record, i) => {
      switch (entity) {
        case "account": {
          const owner = byIndex(i);
          record.ownerId = owner;
          accountOwner.set(record.id, owner);
          break;
        }
        case "lead":
          record.ownerId = byIndex(i);
          break;
        case "contact":
        case "opportunity":
        case "serviceCase":
        case "activity":
          record.ownerId = followAccount(record, i);
          break;
        default:
          record.ownerId = MANAGER;
      }
    });
  }
}
