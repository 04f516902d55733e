import { apiUrl, request } from "./http.ts";
import type { AggregateGroup, AggregateQuery, CurrentUser, DirectoryUser, HistoryPage, ListPage, ListQuery, MetaEntitySummary, MyPermissions, ReadableEntity, RecordData } from "./types.ts";

export { ApiError, onUnauthorized, type Problem } from "./http.ts";
export type * from "./types.ts";
export { designApi } from "./admin.ts";
export { viewsApi, type SavedView, type ViewList, type ViewState } from "./views.ts";
export { actionsApi, approvalsApi, notificationsApi, recordWorkflowsApi } from "./inbox.ts";
export type * from "./inbox.ts";

const records = (entity: string) => `/api/records/${encodeURIComponent(entity)}`;
const one = (entity: string, id: string) => `${records(entity)}/${encodeURIComponent(id)}`;
/** `ETag: "7"` → 7. */
const versionOf = (headers: Headers, fallback: number) => Number(headers.get("etag")?.replaceAll('"', "") ?? fallback);

/** The session: sign-in with cookies, who I am and what I may do. */
export const authApi = {
  async login(email: string, password: string): Promise<CurrentUser> {
    return (await request<{ user: CurrentUser }>("POST", "/api/auth/login", { body: { email, password } })).data.user;
  },
  async logout(): Promise<void> {
    await request("POST", "/api/auth/logout");
  },
  /** The signed-in user (`/api/me` also answers roles, teams and department beside it). */
  async me(): Promise<CurrentUser> {
    return (await request<{ user: CurrentUser }>("GET", "/api/me")).data.user;
  },
  async permissions(): Promise<MyPermissions> {
    return (await request<MyPermissions>("GET", "/api/me/permissions")).data;
  },
  /** Everyone who may own or be assigned a record: id, name, email, active (`GET /api/users`). */
  async users(): Promise<DirectoryUser[]> {
    return (await request<{ items: DirectoryUser[] }>("GET", "/api/users")).data.items;
  },
  /** The definitions I may read, with only my readable fields. */
  async entities(): Promise<ReadableEntity[]> {
    return (await request<{ items: ReadableEntity[] }>("GET", "/api/me/entities")).data.items;
  },
};

/** Records of one entity: list, read, write, history, export. */
export const recordsApi = {
  async list(entity: string, query: ListQuery = {}): Promise<ListPage> {
    return (await request<ListPage>("GET", records(entity), { query: { ...query } })).data;
  },
  async get(entity: string, id: string, expand?: string): Promise<RecordData> {
    const { data, headers } = await request<RecordData>("GET", one(entity, id), { query: { expand } });
    return { ...data, version: versionOf(headers, data.version) };
  },
  async create(entity: string, values: Record<string, unknown>): Promise<RecordData> {
    return (await request<RecordData>("POST", records(entity), { body: values })).data;
  },
  /** A partial update that fails with 412 when `version` is no longer the record's. */
  async update(entity: string, id: string, changes: Record<string, unknown>, version: number): Promise<RecordData> {
    return (await request<RecordData>("PATCH", one(entity, id), { body: changes, headers: { "if-match": `"${version}"` } })).data;
  },
  async remove(entity: string, id: string, version: number): Promise<void> {
    await request("DELETE", one(entity, id), { headers: { "if-match": `"${version}"` } });
  },
  /** Several partial updates, all or nothing in one transaction (422 issues point at `/<index>/<field>`). */
  async updateMany(entity: string, changes: Array<{ id: string; version?: number } & Record<string, unknown>>): Promise<RecordData[]> {
    return (await request<{ items: RecordData[] }>("PATCH", records(entity), { body: changes })).data.items;
  },
  /** Counts and metrics by group over the records the caller may read. */
  async aggregate(entity: string, query: AggregateQuery): Promise<AggregateGroup[]> {
    return (await request<{ groups: AggregateGroup[] }>("GET", `${records(entity)}/aggregate`, { query: { ...query } })).data.groups;
  },
  /** All or nothing, in one transaction. */
  async removeMany(entity: string, ids: string[]): Promise<void> {
    await request("DELETE", records(entity), { body: { ids } });
  },
  async history(entity: string, id: string, before?: number): Promise<HistoryPage> {
    return (await request<HistoryPage>("GET", `${one(entity, id)}/history`, { query: { before, limit: 50 } })).data;
  },
  /** The CSV download of every record the list query matches (the browser follows it with its cookies). */
  exportUrl(entity: string, query: Pick<ListQuery, "filter" | "sort" | "q" | "fields">): string {
    return apiUrl(`${records(entity)}/export`, { ...query });
  },
};

/** Administrators only: the metadata API (admin screens). */
export const metaApi = {
  async entities(): Promise<MetaEntitySummary[]> {
    return (await request<{ items: MetaEntitySummary[] }>("GET", "/api/meta/entities")).data.items;
  },
};
