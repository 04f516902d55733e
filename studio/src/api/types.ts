import type { EntityDefinition, FieldAccess, Scope, UserView } from "@crm/core";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  locale?: string | null;
  roles?: Array<{ id: string; key: string; name: string }>;
}

export interface EntityPermissions {
  read: Scope;
  update: Scope;
  delete: Scope;
  create: boolean;
  import: boolean;
  export: boolean;
  transfer: boolean;
  fields: Record<string, FieldAccess>;
}

export interface MyPermissions {
  userId: string | null;
  admin: boolean;
  entities: Record<string, EntityPermissions>;
}

/** A colleague as the user directory lists them: part of the API's user view. */
export type DirectoryUser = Pick<UserView, "id" | "name" | "email" | "active">;

export interface ReadableEntity {
  version: number;
  definition: EntityDefinition;
}

/** A record as the API returns it: system fields and field values by key. */
export type RecordData = Record<string, unknown> & { id: string; version: number; createdAt: string; updatedAt: string; ownerId: string | null };

export interface ListQuery {
  /** Conditions ANDed (each `path:op:value` or a group). */
  filter?: string[];
  sort?: string;
  limit?: number;
  cursor?: string;
  fields?: string;
  expand?: string;
  q?: string;
  count?: boolean;
}

export interface ListPage {
  items: RecordData[];
  nextCursor: string | null;
  total?: number;
}

export interface HistoryItem {
  id: number;
  at: string;
  action: "create" | "update" | "delete";
  actor: { kind: string; id: string | null; userId: string | null; name?: string };
  requestId: string | null;
  changes: Record<string, { old?: unknown; new?: unknown }>;
}

export interface HistoryPage {
  items: HistoryItem[];
  nextBefore: number | null;
}

export interface MetaEntitySummary {
  key: string;
  version: number;
  [property: string]: unknown;
}

/** `GET /api/records/{entity}/aggregate`: `groupBy=stage,closeDate:month`, `metrics=count,sum:amount`. */
export interface AggregateQuery {
  groupBy?: string;
  metrics?: string;
  filter?: string[];
  q?: string;
  sort?: string;
  limit?: number;
}

/** One group: its key values by group name, the count, and each metric by function then field. */
export interface AggregateGroup {
  key: Record<string, unknown>;
  count: number;
  [metric: string]: unknown;
}
