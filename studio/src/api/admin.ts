import type { EntityDefinition } from "@crm/core";
import { request } from "./http.ts";

/** A live entity as the metadata API returns it (ETag = version). */
export interface MetaEntity {
  id: string;
  key: string;
  version: number;
  status: string;
  updatedAt?: string;
  definition: EntityDefinition;
}

/** One step of a migration plan, measured on the live data (what the preview and an apply report). */
export interface MigrationStepReport {
  id: string;
  kind: string;
  class: "additive" | "lossless" | "lossy";
  description: string;
  pointer: string;
  sql: string[];
  impacts: Array<{ count: number; message: string; blocks: boolean }>;
  requiresConfirmation: boolean;
}

export interface MigrationPreview {
  entityId: string;
  entityKey: string;
  currentVersion: number | null;
  stale: boolean;
  steps: MigrationStepReport[];
  requiresConfirmation: string[];
  blocked: boolean;
}

export interface ChangeResult {
  entity: MetaEntity;
  planId: string | null;
  steps: MigrationStepReport[];
}

/** A field removed from a definition, parked with its data until restored or purged. */
export interface TrashedField {
  entityId: string;
  field: EntityDefinition["fields"][number];
  columns: string[];
  [property: string]: unknown;
}

export type Conversions = Record<string, { valueMap?: Record<string, string | null> }>;

const entityPath = (key: string) => `/api/meta/entities/${encodeURIComponent(key)}`;

/** Administrators only: entity definitions, their migration preview and apply, and the field trash. */
export const designApi = {
  async entities(): Promise<MetaEntity[]> {
    return (await request<{ items: MetaEntity[] }>("GET", "/api/meta/entities")).data.items;
  },
  async entity(key: string): Promise<MetaEntity> {
    return (await request<MetaEntity>("GET", entityPath(key))).data;
  },
  /** What applying `definition` would do, measured on live data; nothing changes. A new key previews a create. */
  async preview(key: string, definition: EntityDefinition, baseVersion?: number, conversions?: Conversions): Promise<MigrationPreview> {
    return (await request<MigrationPreview>("POST", `${entityPath(key)}/preview`, { body: { definition, baseVersion, conversions } })).data;
  },
  async create(definition: EntityDefinition, confirm: string[] = []): Promise<ChangeResult> {
    return (await request<ChangeResult>("POST", "/api/meta/entities", { body: { definition, confirm } })).data;
  },
  /** 409 when `baseVersion` is no longer current; lossy steps need their ids in `confirm`. */
  async update(key: string, definition: EntityDefinition, baseVersion: number, confirm: string[] = [], conversions?: Conversions): Promise<ChangeResult> {
    return (await request<ChangeResult>("PUT", entityPath(key), { body: { definition, baseVersion, confirm, conversions } })).data;
  },
  async trash(key: string): Promise<TrashedField[]> {
    return (await request<{ fields: TrashedField[] }>("GET", `${entityPath(key)}/trash`)).data.fields;
  },
  async restoreField(key: string, fieldId: string, baseVersion: number): Promise<ChangeResult> {
    return (await request<ChangeResult>("POST", `${entityPath(key)}/trash/${encodeURIComponent(fieldId)}/restore`, { query: { baseVersion } })).data;
  },
};
