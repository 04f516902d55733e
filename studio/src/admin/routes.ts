import type { RouteRecordRaw } from "vue-router";

/** Children of `/admin` (the router's guard lets administrators only in); each screen is a lazy chunk. */
export const adminRoutes: RouteRecordRaw[] = [
  { path: "", name: "admin", redirect: { name: "adminEntities" } },
  { path: "entities", name: "adminEntities", component: () => import("./AdminEntities.vue") },
  { path: "entities/new", name: "adminEntityNew", component: () => import("./EntityDesigner.vue"), props: { entityKey: undefined } },
  { path: "entities/:entityKey", name: "adminEntity", component: () => import("./EntityDesigner.vue"), props: true },
  {
    path: "access",
    component: () => import("./access/AccessLayout.vue"),
    children: [
      { path: "", name: "adminAccess", redirect: "/admin/access/users" },
      { path: "users", name: "adminUsers", component: () => import("./access/AccessUsers.vue") },
      { path: "teams", name: "adminTeams", component: () => import("./access/AccessTeams.vue") },
      { path: "departments", name: "adminDepartments", component: () => import("./access/AccessDepartments.vue") },
      { path: "roles", name: "adminRoles", component: () => import("./access/AccessRoles.vue") },
      { path: "explain", name: "adminExplain", component: () => import("./access/AccessExplain.vue") },
    ],
  },
  { path: "plugins", name: "adminPlugins", component: () => import("./plugins/PluginsView.vue") },
  { path: "workflows", name: "adminWorkflows", component: () => import("./workflows/WorkflowsList.vue") },
  { path: "workflows/new", name: "adminWorkflowNew", component: () => import("./workflows/WorkflowEditor.vue") },
  { path: "workflows/:workflowId", name: "adminWorkflow", component: () => import("./workflows/WorkflowEditor.vue"), props: true },
  { path: "workflows/:workflowId/runs", name: "adminWorkflowRuns", component: () => import("./workflows/WorkflowRuns.vue"), props: true },
];
