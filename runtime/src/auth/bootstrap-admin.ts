import type { Database } from "../db/database.ts";
import { recordAdminAudit } from "./admin-audit.ts";
import { generatePassword, hashPassword } from "./password.ts";
import { SHIPPED_PERMISSIONS } from "./shipped-permissions.ts";

/** Roles every new database starts with; their permissions come from the shipped access matrix (`SHIPPED_PERMISSIONS`). */
export const SHIPPED_ROLES = [
  { key: "admin", name: "Administrator", description: "Manages users, roles, metadata and settings.", isAdmin: true },
  { key: "sales_rep", name: "Sales representative", description: "Works on their own and their team's customers.", isAdmin: false },
  { key: "sales_manager", name: "Sales manager", description: "Sees and manages their department and those below it.", isAdmin: false },
  { key: "finance", name: "Finance", description: "Reads everything, edits nothing.", isAdmin: false },
] as const;

export interface AdminBootstrap {
  email: string;
  /** Set when no ADMIN_PASSWORD was given: show it once, store it nowhere. */
  generatedPassword?: string;
}

/**
 * On a database without users: create the shipped roles and the first admin (`ADMIN_EMAIL`, with
 * `ADMIN_PASSWORD` or a generated password). Resolves to what was created, or undefined when users
 * exist. Safe when several processes start at once: one creates, the others find the user.
 */
export async function bootstrapAdmin(db: Database, options: { email: string; password: string | undefined }): Promise<AdminBootstrap | undefined> {
  const [existing] = await db.query<{ any: boolean }>(`select exists(select 1 from users) as any`);
  if (existing?.any) return undefined;
  const password = options.password ?? generatePassword();
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(7246021)`);
    const [again] = await tx.query<{ any: boolean }>(`select exists(select 1 from users) as any`);
    if (again?.any) return undefined;
    for (const role of SHIPPED_ROLES) {
      await tx.query(`insert into roles (key, name, description, is_admin, permissions) values ($1, $2, $3, $4, $5) on conflict (key) do nothing`, [
        role.key,
        role.name,
        role.description,
        role.isAdmin,
        JSON.stringify(SHIPPED_PERMISSIONS[role.key]),
      ]);
    }
    const [user] = await tx.query<{ id: string }>(`insert into users (email, name, password_hash) values ($1, 'Administrator', $2) returning id`, [options.email, hash]);
    await tx.query(`insert into user_roles (user_id, role_id) select $1, id from roles where key = 'admin'`, [user!.id]);
    await recordAdminAudit(tx, { userId: null, tokenId: null, ip: null }, "user_created", user!.id, { email: options.email, bootstrap: true, generatedPassword: !options.password });
    return options.password ? { email: options.email } : { email: options.email, generatedPassword: password };
  });
}
