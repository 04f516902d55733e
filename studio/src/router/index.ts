import { createRouter, createWebHistory, type RouteRecordRaw, type Router, type RouterHistory } from "vue-router";
import { useSessionStore } from "../stores/session.ts";
import { adminRoutes } from "../admin/routes.ts";

/**
 * End-user routes load their view on first visit; `/admin/*` is one lazy chunk of its own (the admin
 * designers are added there), so the end-user screens never download admin code.
 */
export const routes: RouteRecordRaw[] = [
  { path: "/login", name: "login", component: () => import("../views/LoginView.vue"), meta: { public: true } },
  {
    path: "/",
    component: () => import("../components/layout/AppShell.vue"),
    children: [
      { path: "", name: "home", component: () => import("../views/HomeView.vue") },
      { path: "dashboards", name: "dashboards", component: () => import("../views/DashboardView.vue") },
      { path: "records/:entity", name: "list", component: () => import("../views/RecordListView.vue"), props: true },
      { path: "records/:entity/board", name: "board", component: () => import("../views/BoardView.vue"), props: true },
      { path: "records/:entity/calendar", name: "calendar", component: () => import("../views/CalendarView.vue"), props: true },
      { path: "records/:entity/new", name: "new", component: () => import("../views/RecordPageView.vue"), props: (route) => ({ entity: route.params.entity, id: undefined }) },
      { path: "records/:entity/:id", name: "record", component: () => import("../views/RecordPageView.vue"), props: true },
      { path: "approvals", name: "approvals", component: () => import("../views/ApprovalsView.vue") },
      { path: "admin", meta: { admin: true }, component: () => import("../admin/AdminLayout.vue"), children: adminRoutes },
      { path: ":rest(.*)*", name: "notFound", component: () => import("../views/NotFoundView.vue") },
    ],
  },
];

export function createStudioRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({ history, routes });
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    if (!session.checked) await session.restore();
    if (to.meta.public) return session.signedIn && to.name === "login" ? { name: "home" } : true;
    if (!session.signedIn) return { name: "login", query: to.fullPath === "/" ? {} : { next: to.fullPath } };
    if (to.matched.some((r) => r.meta.admin) && !session.isAdmin) return { name: "notFound", params: { rest: to.path.slice(1).split("/") } };
    return true;
  });
  return router;
}
