import type { EntityGrant, RolePermissions } from "@crm/core";

/** Entity ids of the shipped CRM's reference data (read by everyone) and of its customer work. */
const REFERENCE = ["product", "campaign"] as const;
const CUSTOMER_WORK = ["account", "contact", "opportunity", "lead", "service-case", "activity", "campaign-member"] as const;

const grants = (ids: readonly string[], grant: EntityGrant): Record<string, EntityGrant> => Object.fromEntries(ids.map((id) => [id, grant]));

/**
 * The access matrix of the shipped roles over the shipped CRM (`@crm/schemas/crm`), by entity id;
 * written when the roles are first created. Entities added later are invisible to these roles until an
 * administrator grants them.
 */
export const SHIPPED_PERMISSIONS = {
  admin: { admin: true },
  // Reads the team's customers, changes and deletes their own, creates, claims accounts from the
  // public pool; no bulk or ownership moves.
  sales_rep: {
    entities: {
      ...grants(REFERENCE, { read: "all" }),
      ...grants(CUSTOMER_WORK, { read: "team", update: "own", delete: "own", create: true }),
      account: { read: "team", update: "own", delete: "own", create: true, claim: true },
    },
  },
  // Everything of their department and the departments below it, including bulk and ownership moves
  // (and returning accounts to the pool).
  sales_manager: {
    entities: {
      ...grants(REFERENCE, { read: "all", export: true }),
      ...grants(CUSTOMER_WORK, { read: "subtree", update: "subtree", delete: "subtree", create: true, transfer: true, export: true, import: true }),
      account: { read: "subtree", update: "subtree", delete: "subtree", create: true, transfer: true, export: true, import: true, claim: true },
    },
  },
  finance: { entities: grants([...REFERENCE, ...CUSTOMER_WORK], { read: "all", export: true }) },
} as const satisfies Record<string, RolePermissions>;
