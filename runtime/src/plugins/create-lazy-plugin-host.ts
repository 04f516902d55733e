import { createPluginHost, type PluginHost, type PluginHostOptions } from "./plugin-host.ts";

/**
 * A plugin host whose process starts on the first load: a runtime with no plugins installed never
 * forks one.
 */
export function createLazyPluginHost(options: PluginHostOptions = {}): PluginHost & { readonly started: boolean } {
  let host: PluginHost | undefined;
  const started = () => (host ??= createPluginHost(options));
  return {
    get started() {
      return host !== undefined;
    },
    get pid() {
      return host?.pid;
    },
    load: (bundle) => started().load(bundle),
    unload: async (pluginId) => host?.unload(pluginId),
    invoke: (pluginId, call, api) => started().invoke(pluginId, call, api),
    status: (pluginId) => host?.status(pluginId),
    enable: (pluginId) => host?.enable(pluginId),
    close: async () => host?.close(),
  };
}
