import type { EntityDefinition } from "@crm/core";
import { defineStore } from "pinia";
import { computed, ref, shallowRef } from "vue";
import { ApiError, authApi, type CurrentUser, type DirectoryUser, type EntityPermissions, type MyPermissions, type ReadableEntity } from "../api/index.ts";

/**
 * Who is signed in, what they may do (`/api/me/permissions`) and the definitions they may read
 * (`/api/me/entities`): everything the navigation, lists and forms are built from.
 */
export const useSessionStore = defineStore("session", () => {
  const user = ref<CurrentUser | null>(null);
  const permissions = ref<MyPermissions | null>(null);
  // Definitions are replaced whole, never edited: shallow, so forms and validators get the plain objects.
  const entities = shallowRef<ReadableEntity[]>([]);
  /** Whether `restore` has run (the first navigation waits for it). */
  const checked = ref(false);

  const signedIn = computed(() => user.value !== null);
  const isAdmin = computed(() => permissions.value?.admin === true);
  const definitions = computed(() => entities.value.map((e) => e.definition));
  /** The user directory, loaded once on first use (owners' names); empty until then or if it fails. */
  const directory = shallowRef<DirectoryUser[]>([]);
  let directoryLoad: Promise<void> | undefined;
  function loadDirectory(): Promise<void> {
    directoryLoad ??= authApi.users().then(
      (items) => void (directory.value = items),
      () => void (directoryLoad = undefined),
    );
    return directoryLoad;
  }
  /** A user's name from the directory (asked for on first use); undefined until it is known. */
  function userName(id: string | null | undefined): string | undefined {
    if (!id) return undefined;
    void loadDirectory();
    return directory.value.find((u) => u.id === id)?.name;
  }
  /** An owner as people read it: `you` for the signed-in user, else the name, else the id's start until the directory has loaded. */
  function ownerLabel(id: string, you: string): string {
    return id === user.value?.id ? you : (userName(id) ?? id.slice(0, 8));
  }

  async function loadAccess(): Promise<void> {
    const [perms, readable] = await Promise.all([authApi.permissions(), authApi.entities()]);
    permissions.value = perms;
    entities.value = readable;
  }

  /** Picks up a session the browser still holds; false when there is none. */
  async function restore(): Promise<boolean> {
    try {
      user.value = await authApi.me();
      await loadAccess();
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        clear();
        return false;
      }
      throw error;
    } finally {
      checked.value = true;
    }
  }

  async function login(email: string, password: string): Promise<void> {
    user.value = await authApi.login(email, password);
    checked.value = true;
    await loadAccess();
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  function clear(): void {
    user.value = null;
    permissions.value = null;
    entities.value = [];
    directory.value = [];
    directoryLoad = undefined;
  }

  function definition(key: string): EntityDefinition | undefined {
    return entities.value.find((e) => e.definition.key === key)?.definition;
  }

  function permissionsOf(key: string): EntityPermissions | undefined {
    return permissions.value?.entities[key];
  }

  /** Whether the caller may write this field (its field access is `write`). */
  function canWrite(entity: string, field: string): boolean {
    return permissionsOf(entity)?.fields[field] === "write";
  }

  return { user, permissions, entities, checked, signedIn, isAdmin, definitions, directory, restore, login, logout, clear, definition, permissionsOf, canWrite, loadAccess, loadDirectory, userName, ownerLabel };
});
