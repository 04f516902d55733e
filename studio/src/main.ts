import { createPinia } from "pinia";
import { createApp } from "vue";
import { onUnauthorized } from "./api/index.ts";
import App from "./App.vue";
import { createStudioI18n, initialLocale, saveLocale } from "./i18n/index.ts";
import { createStudioRouter } from "./router/index.ts";
import { useSessionStore } from "./stores/session.ts";
import "./styles.css";

const app = createApp(App);
const pinia = createPinia();
const router = createStudioRouter();
app.use(pinia).use(router).use(createStudioI18n());
saveLocale(initialLocale());

// A session that ends (expired, revoked) sends the user back to sign-in, then to where they were.
onUnauthorized(() => {
  useSessionStore(pinia).clear();
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ name: "login", query: { next: here.fullPath } });
});

app.mount("#app");
