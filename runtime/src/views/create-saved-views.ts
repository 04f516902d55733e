import type { SavedView } from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";
import { sqlState } from "../db/translate-error.ts";
import { AccessDenied, defineError, ValidationFailed } from "../errors.ts";
import type { Caller } from "../services/caller.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { checkViewState, type ViewInput, type ViewState } from "./read-view-input.ts";

export const ViewNotFound = defineError("VIEW_NOT_FOUND", 404, "View not found");
export const ViewNameTaken = defineError("VIEW_NAME_TAKEN", 409, "You have a view with this name");

interface Row {
  id: string;
  ownerId: string;
  entityKey: string;
  name: string;
  shared: boolean;
  state: unknown;
  createdAt: string | Date;
  updatedAt: string | Date;
}

const COLUMNS = `id, owner_id as "ownerId", entity_key as "entityKey", name, shared, state, created_at as "createdAt", updated_at as "updatedAt"`;
const EMPTY: ViewState = { columns: [], sort: null, filter: [], q: null, mode: "list" };

/** Whether the caller may share views with everyone (and change or delete shared ones): admins, and roles granting `shareViews`. */
export function canShareViews(caller: Caller): boolean {
  return caller.admin || caller.subject.roles.some((role) => role.permissions.shareViews === true);
}

/**
 * Saved list views, each user's own and the shared ones. Only views of entities the caller may read
 * are ever listed or found (the entity keys go into the SQL); the view holds a list query, which the
 * viewer's own list request runs under the viewer's permissions.
 */
export function createSavedViews(deps: { db: Database; registry: EntityRegistry }) {
  const readableKeys = (caller: Caller) => deps.registry.definitions().filter((def) => caller.admin || caller.policy?.canRead(def)).map((def) => def.key);
  const editable = (row: Pick<Row, "ownerId" | "shared">, caller: Caller) => (row.shared ? canShareViews(caller) : row.ownerId === caller.userId);

  function view(row: Row, caller: Caller): SavedView {
    const state = { ...EMPTY, ...(typeof row.state === "string" ? JSON.parse(row.state) : row.state) } as ViewState;
    return {
      id: row.id,
      entity: row.entityKey,
      name: row.name,
      shared: row.shared,
      ownerId: row.ownerId,
      mine: row.ownerId === caller.userId,
      editable: editable(row, caller),
      ...state,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  }

  async function find(db: Queryable, id: string, userId: string, caller: Caller, lock = false): Promise<Row> {
    const [row] = await db.query<Row>(
      `select ${COLUMNS} from saved_views where id = $1 and (owner_id = $2 or shared) and entity_key = any($3::text[])${lock ? " for update" : ""}`,
      [id, userId, readableKeys(caller)],
    );
    if (!row) throw ViewNotFound(`You have no view with id "${id}".`);
    return row;
  }

  function checked(entityKey: string, state: ViewState, caller: Caller): void {
    const entity = deps.registry.find(entityKey);
    if (!entity || !(caller.admin || caller.policy?.canRead(entity.definition))) {
      throw ValidationFailed("The view's entity is none you may read.", { issues: [{ code: "ENTITY_NOT_READABLE", pointer: "/entity", message: `There is no entity "${entityKey}" you may read.` }] });
    }
    checkViewState(state, entity.definition, deps.registry.definitions(), caller);
  }

  function checkSharing(shared: boolean | undefined, caller: Caller): void {
    if (shared && !canShareViews(caller)) throw AccessDenied("Only administrators and roles with the shareViews permission may share views.", { issues: [{ code: "SHARE_DENIED", pointer: "/shared", message: "You may not share views." }] });
  }

  async function named<T>(work: () => Promise<T>, name: string | undefined): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (sqlState(error) === "23505") throw ViewNameTaken(`You already have a view named "${name}" of this entity.`, { issues: [{ code: "VIEW_NAME_TAKEN", pointer: "/name", message: "Choose another name." }] });
      throw error;
    }
  }

  return {
    /** My views and the shared ones, of one entity or of every entity I may read; shared last, then by name. */
    async list(userId: string, caller: Caller, entity?: string): Promise<SavedView[]> {
      const keys = readableKeys(caller).filter((key) => entity === undefined || key === entity);
      const rows = await deps.db.query<Row>(
        `select ${COLUMNS} from saved_views where (owner_id = $1 or shared) and entity_key = any($2::text[]) order by entity_key, shared, lower(name), id`,
        [userId, keys],
      );
      return rows.map((row) => view(row, caller));
    },

    async get(id: string, userId: string, caller: Caller): Promise<SavedView> {
      return view(await find(deps.db, id, userId, caller), caller);
    },

    async create(input: ViewInput, userId: string, caller: Caller): Promise<SavedView> {
      const state: ViewState = { columns: input.columns ?? [], sort: input.sort ?? null, filter: input.filter ?? [], q: input.q ?? null, mode: input.mode ?? "list" };
      checked(input.entity!, state, caller);
      checkSharing(input.shared, caller);
      const [row] = await named(
        () => deps.db.query<Row>(`insert into saved_views (owner_id, entity_key, name, shared, state) values ($1, $2, $3, $4, $5::jsonb) returning ${COLUMNS}`, [userId, input.entity, input.name, input.shared ?? false, JSON.stringify(state)]),
        input.name,
      );
      return view(row!, caller);
    },

    /** Rename, share or unshare, or replace parts of the state: in one transaction, the row locked. */
    async update(id: string, input: ViewInput, userId: string, caller: Caller): Promise<SavedView> {
      return deps.db.transaction(async (tx) => {
        const row = await find(tx, id, userId, caller, true);
        if (!editable(row, caller)) throw AccessDenied(row.shared ? "Only administrators and roles with the shareViews permission may change a shared view." : "Only its owner may change this view.");
        if (input.shared !== undefined && input.shared !== row.shared && !canShareViews(caller)) checkSharing(true, caller);
        const current = view(row, caller);
        const state: ViewState = { columns: input.columns ?? current.columns, sort: input.sort === undefined ? current.sort : input.sort, filter: input.filter ?? current.filter, q: input.q === undefined ? current.q : input.q, mode: input.mode ?? current.mode };
        checked(row.entityKey, state, caller);
        const [updated] = await named(
          () => tx.query<Row>(`update saved_views set name = $2, shared = $3, state = $4::jsonb, updated_at = now() where id = $1 returning ${COLUMNS}`, [id, input.name ?? row.name, input.shared ?? row.shared, JSON.stringify(state)]),
          input.name,
        );
        return view(updated!, caller);
      });
    },

    async remove(id: string, userId: string, caller: Caller): Promise<void> {
      await deps.db.transaction(async (tx) => {
        const row = await find(tx, id, userId, caller, true);
        if (!editable(row, caller)) throw AccessDenied(row.shared ? "Only administrators and roles with the shareViews permission may delete a shared view." : "Only its owner may delete this view.");
        await tx.query(`delete from saved_views where id = $1`, [id]);
      });
    },
  };
}

export type SavedViews = ReturnType<typeof createSavedViews>;
