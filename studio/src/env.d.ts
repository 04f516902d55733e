/// <reference types="vite/client" />

declare module "vue-router" {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Administrators only. */
    admin?: boolean;
  }
}

export {};
