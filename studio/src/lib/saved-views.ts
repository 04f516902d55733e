import { ref, watch, type Ref } from "vue";
import type { LocationQueryRaw, Router } from "vue-router";
import { viewsApi, type SavedView } from "../api/index.ts";

/**
 * The saved views of an entity as the list and the board show them: the views (mine, then shared),
 * whether the caller may share, the current one, and the URL kept in step with the page's state, so
 * a link or a reload opens the same page (and view).
 */
export function useSavedViews(entity: () => string, router: Router, urlQuery: (viewId: string | undefined) => LocationQueryRaw, watched: () => unknown) {
  const views = ref<SavedView[]>([]);
  const canShare = ref(false);
  const currentView: Ref<SavedView | undefined> = ref();

  /** List the views again; `select` becomes the current one (as listed now). */
  async function loadViews(select?: SavedView) {
    const listed = await viewsApi.list(entity());
    views.value = listed.items;
    canShare.value = listed.canShare;
    if (select !== undefined) currentView.value = listed.items.find((v) => v.id === select.id);
  }

  /** After a save, rename or delete in the picker (undefined: the current view is gone). */
  function viewChanged(view: SavedView | undefined) {
    if (!view) currentView.value = undefined;
    void loadViews(view);
  }

  watch([watched, currentView], () => void router.replace({ query: urlQuery(currentView.value?.id) }), { deep: true });
  return { views, canShare, currentView, loadViews, viewChanged };
}

/** Search typed into a page reloads it once the typing pauses. */
export function reloadOnSearch(q: Ref<string>, reload: () => unknown, delayMs = 300) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(q, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), delayMs);
  });
}
