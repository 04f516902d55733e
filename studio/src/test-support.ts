import { mount, type ComponentMountingOptions } from "@vue/test-utils";
import { createPinia, setActivePinia, type Pinia } from "pinia";
import type { Component } from "vue";
import { createStudioI18n } from "./i18n/index.ts";

/** Mount a studio component with the app's plugins (English, a fresh Pinia) and any given (a router). */
export function mountStudio<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}, pinia: Pinia = createPinia()) {
  setActivePinia(pinia);
  const plugins = [pinia, createStudioI18n("en"), ...(options.global?.plugins ?? [])];
  return mount(component, { attachTo: document.body, ...options, global: { ...options.global, plugins } } as ComponentMountingOptions<C>);
}
