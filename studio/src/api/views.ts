import type { SavedView, ViewState } from "@crm/core";
import { request } from "./http.ts";

export type { SavedView, ViewState };

export interface ViewList {
  items: SavedView[];
  /** The caller may share views (admin, or a role with `shareViews`). */
  canShare: boolean;
}

const one = (id: string) => `/api/views/${encodeURIComponent(id)}`;

/** Saved list views: mine and the shared ones, of entities I may read. */
export const viewsApi = {
  async list(entity: string): Promise<ViewList> {
    return (await request<ViewList>("GET", "/api/views", { query: { entity } })).data;
  },
  async create(view: Partial<ViewState> & { entity: string; name: string; shared?: boolean }): Promise<SavedView> {
    return (await request<SavedView>("POST", "/api/views", { body: view })).data;
  },
  async update(id: string, changes: Partial<ViewState> & { name?: string; shared?: boolean }): Promise<SavedView> {
    return (await request<SavedView>("PATCH", one(id), { body: changes })).data;
  },
  async remove(id: string): Promise<void> {
    await request("DELETE", one(id));
  },
};
