import { mount, type ComponentMountingOptions } from "@vue/test-utils";
import { createPinia, setActivePinia, type Pinia } from "pinia";
import type { Component } from "vue";
import { afterEach, beforeEach, vi } from "vitest";
import { createStudioI18n } from "./i18n/index.ts";

/** Mount a studio component with the app's plugins (English, a fresh Pinia) and any given (a router). */
export function mountStudio<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}, pinia: Pinia = createPinia()) {
  setActivePinia(pinia);
  const plugins = [pinia, createStudioI18n("en"), ...(options.global?.plugins ?? [])];
  return mount(component, { attachTo: document.body, ...options, global: { ...options.global, plugins } } as ComponentMountingOptions<C>);
}

/** One request a component made, as the stub of `useApiStub` saw it. */
export interface ApiCall {
  method: string;
  url: string;
  body: unknown;
}

/** A JSON response for a stubbed request (`body` undefined: no body). */
export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/**
 * For the enclosing suite: `fetch` stubbed before each test (a fresh Pinia too), every request
 * recorded in `calls` and answered by `stub.answer`, which each test sets; restored after each test.
 * @example const stub = useApiStub(); stub.answer = (call) => jsonResponse(200, { items: [] });
 */
export function useApiStub() {
  const stub = { calls: [] as ApiCall[], answer: (_call: ApiCall): Response => jsonResponse(404, { code: "NOT_FOUND", title: "Not found", status: 404 }) };
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
      const call = { method: init.method ?? "GET", url, body: init.body ? JSON.parse(String(init.body)) : undefined };
      stub.calls.push(call);
      return stub.answer(call);
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    stub.calls.length = 0;
  });
  return stub;
}
