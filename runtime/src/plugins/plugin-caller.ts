import type { AccessService } from "../access/index.ts";
import type { Queryable } from "../db/database.ts";
import { createCaller, type Caller } from "../services/caller.ts";

/**
 * The caller a plugin acts as when no request is running (after-hooks, schedules): the user it acts
 * for, with the roles given (those of the request that enqueued the work) or else the user's own.
 */
export async function pluginCaller(deps: { db: Queryable; access: AccessService }, pluginId: string, userId: string | null, roleIds?: string[]): Promise<Caller> {
  const roles = roleIds ?? (userId === null ? [] : (await deps.db.query<{ id: string }>(`select role_id::text as id from user_roles where user_id = $1`, [userId])).map((r) => r.id));
  const subject = await deps.access.subject({ kind: "token", tokenId: `plugin:${pluginId}`, userId, roleIds: roles });
  return createCaller({ subject, actor: { kind: "plugin", pluginId, userId }, access: deps.access.entity });
}
