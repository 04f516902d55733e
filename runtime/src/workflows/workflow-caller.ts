import type { AccessService } from "../access/index.ts";
import type { Queryable } from "../db/database.ts";
import { createCaller, type Caller } from "../services/caller.ts";

/**
 * The caller a workflow run acts as: the declared user with that user's own roles, named in the
 * record history as the run (`{ kind: "workflow", runId, userId }`).
 */
export async function workflowCaller(deps: { db: Queryable; access: AccessService }, runId: string, userId: string): Promise<Caller> {
  const roles = (await deps.db.query<{ id: string }>(`select ur.role_id::text as id from user_roles ur join users u on u.id = ur.user_id where ur.user_id = $1 and u.active`, [userId])).map((r) => r.id);
  const subject = await deps.access.subject({ kind: "token", tokenId: `workflow:${runId}`, userId, roleIds: roles });
  return createCaller({ subject, actor: { kind: "workflow", runId, userId }, access: deps.access.entity });
}
