import { defineError } from "../errors.ts";

export const PluginNotFound = defineError("PLUGIN_NOT_FOUND", 404, "Plugin not found");
export const PluginInvalid = defineError("PLUGIN_INVALID", 422, "The plugin is invalid");
export const PluginLoadFailed = defineError("PLUGIN_LOAD_FAILED", 422, "The plugin's code did not load");
export const PluginVersionConflict = defineError("PLUGIN_VERSION_CONFLICT", 409, "That version is not newer than the installed one");
export const PluginNoPreviousVersion = defineError("PLUGIN_NO_PREVIOUS_VERSION", 409, "There is no earlier version to roll back to");
export const PluginSettingsInvalid = defineError("PLUGIN_SETTINGS_INVALID", 422, "The settings do not match the plugin's settings schema");
/** A before-hook refused the write with field-level messages. */
export const PluginRejected = defineError("PLUGIN_REJECTED", 422, "A plugin refused the change");
/** A before-hook or action threw or ran out of a counted budget. */
export const PluginFailed = defineError("PLUGIN_FAILED", 422, "A plugin failed");
/** A before-hook or action timed out, ran out of memory, or its host crashed. */
export const PluginUnavailable = defineError("PLUGIN_UNAVAILABLE", 503, "A plugin could not run");
export const PluginActionNotFound = defineError("PLUGIN_ACTION_NOT_FOUND", 404, "No such plugin action");
