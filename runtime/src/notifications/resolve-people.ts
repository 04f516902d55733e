import { isUuid, textArrayLiteral } from "@crm/core";
import type { Queryable } from "../db/database.ts";

/** A set of users as workflow steps name them (notify recipients, approvers, assignees). */
export interface People {
  users?: readonly string[];
  /** Role keys. */
  roles?: readonly string[];
  teams?: readonly string[];
  /** Direct members of these departments. */
  departments?: readonly string[];
  /** The record's owner. */
  owner?: boolean;
  /** The record owner's manager. */
  ownerManager?: boolean;
}

const uuidList = (ids: readonly string[] | undefined): string => textArrayLiteral((ids ?? []).filter(isUuid));
const textList = (values: readonly string[] | undefined): string => textArrayLiteral(values ?? []);

/**
 * The active users a `People` set names, for a record owned by `ownerId` (if any), in a stable order
 * (by name, then id), each once. Inactive users, unknown ids and malformed entries are left out, so a
 * stale definition names fewer people, never an error. One statement, whatever the set.
 * @example await resolvePeople(tx, { roles: ["sales_manager"], owner: true }, { ownerId })
 */
export async function resolvePeople(q: Queryable, people: People, context: { ownerId?: string | null } = {}): Promise<string[]> {
  const owner = context.ownerId && isUuid(context.ownerId) ? context.ownerId : null;
  const rows = await q.query<{ id: string }>(
    `select u.id::text as id from users u
      where u.active and (
        u.id = any($1::uuid[])
        or exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.key = any($2::text[]))
        or exists (select 1 from team_members tm where tm.user_id = u.id and tm.team_id = any($3::uuid[]))
        or u.department_id = any($4::uuid[])
        or ($5::boolean and u.id = $7::uuid)
        or ($6::boolean and u.id = (select o.manager_id from users o where o.id = $7::uuid))
      )
      order by u.name, u.id`,
    [uuidList(people.users), textList(people.roles), uuidList(people.teams), uuidList(people.departments), people.owner === true, people.ownerManager === true, owner],
  );
  return rows.map((row) => row.id);
}
