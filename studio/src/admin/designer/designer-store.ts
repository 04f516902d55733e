import { validateDefinition, type EntityDefinition, type Issue } from "@crm/core";
import { defineStore } from "pinia";
import { computed, ref, shallowRef } from "vue";
import { ApiError } from "../../api/index.ts";
import { designApi, type MetaEntity, type MigrationPreview, type TrashedField } from "../../api/admin.ts";
import { canApply, cleanDefinition, IssueMap, newEntity } from "./draft.ts";

/** Where the designer is: editing, previewing, applying, or told its base version is stale. */
export type DesignerPhase = "editing" | "previewing" | "preview" | "applying" | "stale";

/**
 * One entity being designed: the draft, the other entities (relation targets), issues from core's
 * validator and from the API by JSON Pointer, the migration preview and the lossy steps ticked.
 * Field and layout designers edit `draft` in place; `preview` and `apply` send a cleaned copy.
 */
export const useEntityDesignerStore = defineStore("entityDesigner", () => {
  const draft = ref<EntityDefinition>(newEntity());
  /** The stored entity being edited; null for a new one. */
  const base = shallowRef<MetaEntity | null>(null);
  const others = shallowRef<MetaEntity[]>([]);
  const trash = shallowRef<TrashedField[]>([]);
  const issues = shallowRef(new IssueMap());
  const preview = shallowRef<MigrationPreview | null>(null);
  const confirmed = ref(new Set<string>());
  const phase = ref<DesignerPhase>("editing");
  /** A failure that points at no input (network, 423 busy, …). */
  const failure = ref("");

  const isNew = computed(() => base.value === null);
  const ready = computed(() => preview.value !== null && canApply(preview.value, confirmed.value));

  async function load(key: string | undefined): Promise<void> {
    reset();
    const all = await designApi.entities();
    if (key === undefined) {
      others.value = all;
      draft.value = newEntity();
      base.value = null;
      trash.value = [];
      return;
    }
    const entity = await designApi.entity(key);
    base.value = entity;
    others.value = all.filter((e) => e.id !== entity.id);
    draft.value = structuredClone(entity.definition);
    trash.value = await designApi.trash(key);
  }

  function reset(): void {
    issues.value = new IssueMap();
    preview.value = null;
    confirmed.value = new Set();
    phase.value = "editing";
    failure.value = "";
  }

  /** The draft as it will be sent, checked by core's `validateDefinition` (the server's own check). */
  function checked(): EntityDefinition | null {
    const definition = cleanDefinition(draft.value);
    if (isNew.value && !definition.id && definition.key) definition.id = definition.key.toLowerCase();
    const result = validateDefinition(definition, { entities: others.value.map((e) => e.definition) });
    if (!result.ok) {
      issues.value = new IssueMap(result.issues);
      return null;
    }
    issues.value = new IssueMap();
    return definition;
  }

  function fail(error: unknown): void {
    // Only a stale base version asks for a reload; another 409 (a key taken by another entity) has issues like a 422.
    if (error instanceof ApiError && error.problem.code === "STALE_DEFINITION") {
      phase.value = "stale";
      return;
    }
    phase.value = preview.value ? "preview" : "editing";
    if (error instanceof ApiError && error.problem.issues?.length) {
      issues.value = new IssueMap(error.problem.issues as Issue[]);
      if (error.status === 422) preview.value = null;
      if (!preview.value) phase.value = "editing";
    }
    failure.value = error instanceof Error ? error.message : String(error);
  }

  /** Validate, then ask the server what applying would do; a valid draft opens the preview. */
  async function requestPreview(): Promise<boolean> {
    failure.value = "";
    preview.value = null;
    confirmed.value = new Set();
    const definition = checked();
    if (!definition) return false;
    phase.value = "previewing";
    try {
      const result = await designApi.preview(base.value?.key ?? definition.key, definition, base.value?.version);
      preview.value = result;
      phase.value = result.stale ? "stale" : "preview";
      return !result.stale;
    } catch (error) {
      fail(error);
      return false;
    }
  }

  function confirmStep(id: string, yes: boolean): void {
    const next = new Set(confirmed.value);
    if (yes) next.add(id);
    else next.delete(id);
    confirmed.value = next;
  }

  /** Apply the previewed draft with the ticked lossy steps; the stored entity comes back as the new base. */
  async function apply(): Promise<boolean> {
    const definition = checked();
    if (!definition || !preview.value || !ready.value) return false;
    phase.value = "applying";
    failure.value = "";
    try {
      const confirm = [...confirmed.value];
      const result = base.value
        ? await designApi.update(base.value.key, definition, base.value.version, confirm)
        : await designApi.create(definition, confirm);
      base.value = result.entity;
      draft.value = structuredClone(result.entity.definition);
      reset();
      trash.value = await designApi.trash(result.entity.key);
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  }

  function closePreview(): void {
    preview.value = null;
    confirmed.value = new Set();
    if (phase.value !== "stale") phase.value = "editing";
  }

  /** Bring a removed field back with its data (a new version of the entity). */
  async function restore(fieldId: string): Promise<boolean> {
    if (!base.value) return false;
    failure.value = "";
    try {
      const result = await designApi.restoreField(base.value.key, fieldId, base.value.version);
      base.value = result.entity;
      draft.value = structuredClone(result.entity.definition);
      trash.value = await designApi.trash(result.entity.key);
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  }

  return { draft, base, others, trash, issues, preview, confirmed, phase, failure, isNew, ready, load, checked, requestPreview, confirmStep, apply, closePreview, restore };
});
