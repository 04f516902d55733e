import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * Element Plus components are imported on demand (with their CSS) by unplugin-vue-components as the
 * templates use them, so each route's chunk carries only its own widgets. `vite` serves the app with
 * `/api` proxied to a runtime (`CRM_API`, default http://localhost:3000); the Host header is kept so
 * sign-in sees a same-site request.
 */
export default defineConfig(({ command }) => ({
  resolve: command === "build" ? { alias: { "@vue/devtools-api": fileURLToPath(new URL("./src/no-devtools.ts", import.meta.url)) } } : {},
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver()], dts: false })],
  server: {
    proxy: { "/api": { target: process.env.CRM_API ?? "http://localhost:3000", changeOrigin: false } },
  },
  build: {
    manifest: true,
    target: "es2022",
  },
}));
