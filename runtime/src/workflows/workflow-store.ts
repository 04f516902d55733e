import { compileWorkflow, RECORD_TRIGGER_TYPES, type CompiledWorkflow, type Issue, type WorkflowDefinition } from "@crm/core";
import { NO_AUDIT_ACTOR, recordAdminAudit, type AuditActor } from "../auth/admin-audit.ts";
import type { Database, Queryable } from "../db/database.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { WorkflowExists, WorkflowInvalid, WorkflowNotFound } from "./workflow-errors.ts";

/** A workflow as the admin API shows it: the current version's definition with version and enabled. */
export type WorkflowView = WorkflowDefinition & { version: number; enabled: boolean; createdAt: string; updatedAt: string };

/** One stored version, compiled: what runs execute. */
export interface WorkflowVersion {
  compiled: CompiledWorkflow;
  /** Who the version acts as: its `runAs`, else the administrator who saved it. */
  actAs: string | null;
}

interface Row {
  id: string;
  current_version: number;
  enabled: boolean;
  definition: unknown;
  created_at: Date | string;
  updated_at: Date | string;
}

const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>;
const iso = (value: Date | string) => new Date(value).toISOString();

function view(row: Row): WorkflowView {
  const { enabled: _ignored, version: _v, ...definition } = json(row.definition);
  return { ...(definition as unknown as WorkflowDefinition), version: row.current_version, enabled: row.enabled, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

/**
 * Workflow definitions, versioned: every save is validated against the live entity definitions and
 * stored as a new version; runs load the version they started on (`version`), compiled once per
 * version and registry generation (a changed entity recompiles it).
 * `onChange` hears every change (to reload what record writes look up).
 */
export function createWorkflowStore(deps: { db: Database; registry: EntityRegistry; onChange?: () => void }) {
  const { db } = deps;
  const compiled = new Map<string, WorkflowVersion>();
  let compiledGeneration = -1;

  async function checkRunAs(q: Queryable, definition: WorkflowDefinition): Promise<Issue[]> {
    if (!definition.runAs) return [];
    const [row] = await q.query(`select 1 from users where id = $1::uuid and active`, [definition.runAs.userId]);
    return row ? [] : [{ code: "UNKNOWN_USER", pointer: "/runAs/userId", message: "runAs must name an active user." }];
  }

  async function validate(input: unknown, id?: string): Promise<WorkflowDefinition> {
    const body = input && typeof input === "object" && !Array.isArray(input) && id !== undefined ? { id, ...(input as object) } : input;
    const result = compileWorkflow(body, deps.registry.definitions());
    const issues = result.ok ? await checkRunAs(db, result.value.definition) : result.issues;
    if (result.ok && id !== undefined && result.value.definition.id !== id) issues.push({ code: "ID_MISMATCH", pointer: "/id", message: `The id cannot change (it is "${id}").` });
    if (!result.ok || issues.length > 0) throw WorkflowInvalid("The workflow definition has problems; see issues.", { issues });
    const { version: _version, ...definition } = result.value.definition;
    return definition;
  }

  const select = `select w.id, w.current_version, w.enabled, v.definition, w.created_at, w.updated_at
    from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version`;

  async function get(id: string): Promise<WorkflowView> {
    const [row] = await db.query<Row>(`${select} where w.id = $1`, [id]);
    if (!row) throw WorkflowNotFound(`There is no workflow with id "${id.slice(0, 100)}".`);
    return view(row);
  }

  function changed<T>(value: T): T {
    deps.onChange?.();
    return value;
  }

  return {
    get,
    async list(): Promise<WorkflowView[]> {
      return (await db.query<Row>(`${select} order by w.id`)).map(view);
    },

    /** Version 1 of a new workflow; 409 if the id is taken. */
    async create(input: unknown, savedBy: string | null, audit: AuditActor = NO_AUDIT_ACTOR): Promise<WorkflowView> {
      const definition = await validate(input);
      const inserted = await db.transaction(async (tx) => {
        const rows = await tx.query(`insert into workflows (id, current_version, enabled, entity) values ($1, 1, $2, $3) on conflict (id) do nothing returning id`, [definition.id, definition.enabled ?? false, definition.entity]);
        if (rows.length === 0) return false;
        await tx.query(`insert into workflow_versions (workflow_id, version, definition, saved_by) values ($1, 1, $2::jsonb, $3::uuid)`, [definition.id, JSON.stringify({ ...definition, version: 1 }), savedBy]);
        await recordAdminAudit(tx, audit, "workflow_created", definition.id, { version: 1, entity: definition.entity, enabled: definition.enabled ?? false });
        return true;
      });
      if (!inserted) throw WorkflowExists(`A workflow with id "${definition.id}" exists; PUT /api/admin/workflows/${definition.id} saves a new version.`, { issues: [{ code: "DUPLICATE", pointer: "/id", message: "This id is taken." }] });
      return changed(await get(definition.id));
    },

    /** Save a new version (runs in flight finish on theirs); `enabled` in the body changes it too. */
    async update(id: string, input: unknown, savedBy: string | null, audit: AuditActor = NO_AUDIT_ACTOR): Promise<WorkflowView> {
      await get(id);
      const definition = await validate(input, id);
      await db.transaction(async (tx) => {
        const [row] = await tx.query<{ version: number }>(
          `update workflows set current_version = current_version + 1, entity = $2, enabled = coalesce($3, enabled), updated_at = now() where id = $1 returning current_version as version`,
          [id, definition.entity, definition.enabled ?? null],
        );
        await tx.query(`insert into workflow_versions (workflow_id, version, definition, saved_by) values ($1, $2, $3::jsonb, $4::uuid)`, [id, row!.version, JSON.stringify({ ...definition, version: row!.version }), savedBy]);
        await recordAdminAudit(tx, audit, "workflow_changed", id, { version: row!.version, entity: definition.entity });
      });
      return changed(await get(id));
    },

    async setEnabled(id: string, enabled: boolean, audit: AuditActor = NO_AUDIT_ACTOR): Promise<WorkflowView> {
      const rows = await db.transaction(async (tx) => {
        const changed = await tx.query(`update workflows set enabled = $2, updated_at = now() where id = $1 returning id`, [id, enabled]);
        if (changed.length) await recordAdminAudit(tx, audit, enabled ? "workflow_enabled" : "workflow_disabled", id);
        return changed;
      });
      if (rows.length === 0) throw WorkflowNotFound(`There is no workflow with id "${id.slice(0, 100)}".`);
      return changed(await get(id));
    },

    /** Enabled workflows by triggering entity: what the trigger dispatcher matches events against. */
    /** The entities whose record changes an enabled workflow's trigger looks at (schedules, buttons and webhooks start runs directly). */
    async recordTriggeredEntities(): Promise<Set<string>> {
      const rows = await db.query<{ entity: string }>(
        `select distinct w.entity from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
          where w.enabled and v.definition->'trigger'->>'type' = any($1::text[])`,
        [`{${RECORD_TRIGGER_TYPES.join(",")}}`],
      );
      return new Set(rows.map((row) => row.entity));
    },

    /** One version, compiled against today's entity definitions (cached per version). */
    async version(id: string, version: number, q: Queryable = db): Promise<WorkflowVersion> {
      // A changed entity definition (a new registry generation) recompiles every version.
      if (compiledGeneration !== deps.registry.generation) {
        compiled.clear();
        compiledGeneration = deps.registry.generation;
      }
      const key = `${id}@${version}`;
      const cached = compiled.get(key);
      if (cached) return cached;
      const [row] = await q.query<{ definition: unknown; saved_by: string | null }>(`select definition, saved_by::text as saved_by from workflow_versions where workflow_id = $1 and version = $2`, [id, version]);
      if (!row) throw WorkflowNotFound(`There is no version ${version} of workflow "${id}".`);
      const result = compileWorkflow(json(row.definition), deps.registry.definitions());
      if (!result.ok) throw WorkflowInvalid(`Version ${version} of workflow "${id}" no longer fits the entity definitions.`, { issues: result.issues });
      const loaded = { compiled: result.value, actAs: result.value.definition.runAs?.userId ?? row.saved_by };
      compiled.set(key, loaded);
      return loaded;
    },

  };
}

export type WorkflowStore = ReturnType<typeof createWorkflowStore>;
