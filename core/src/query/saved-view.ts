/**
 * A saved list view's state: the list as the list API takes it, in its own syntax (`sort`, `filter`
 * parameters, `q`), with the columns shown and whether it opens as a list or a kanban board. Shared by
 * the runtime (which stores and checks it) and the studio (which saves and opens it).
 */
export interface ViewState {
  columns: string[];
  sort: string | null;
  filter: string[];
  q: string | null;
  mode: "list" | "kanban";
}

/** A saved view as `/api/views` answers it. `editable`: the caller may rename, change or delete it. */
export interface SavedView extends ViewState {
  id: string;
  entity: string;
  name: string;
  shared: boolean;
  ownerId: string;
  mine: boolean;
  editable: boolean;
  createdAt: string;
  updatedAt: string;
}
