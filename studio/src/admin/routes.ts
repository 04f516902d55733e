import type { RouteRecordRaw } from "vue-router";

/** Children of `/admin` (the router's guard lets administrators only in); each screen is a lazy chunk. */
export const adminRoutes: RouteRecordRaw[] = [
  { path: "", name: "admin", redirect: { name: "adminEntities" } },
  { path: "entities", name: "adminEntities", component: () => import("./AdminEntities.vue") },
  { path: "entities/new", name: "adminEntityNew", component: () => import("./EntityDesigner.vue"), props: { entityKey: undefined } },
  { path: "entities/:entityKey", name: "adminEntity", component: () => import("./EntityDesigner.vue"), props: true },
];
