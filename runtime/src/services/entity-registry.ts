import type { EntityDefinition } from "@crm/core";
import type { Database } from "../db/database.ts";
import { metadataStore } from "./metadata-store.ts";

export interface LiveEntity {
  definition: EntityDefinition;
  version: number;
}

/**
 * The live entity definitions, held in memory so requests never read metadata from the database.
 * Reloaded after every schema change (and, with several processes on PostgreSQL, when another process
 * announces one); `generation` grows with each reload so derived caches (OpenAPI, validators) know when to rebuild.
 */
export function createEntityRegistry(db: Database) {
  let byKey = new Map<string, LiveEntity>();
  let generation = 0;
  const listeners = new Set<() => void>();

  return {
    async reload(): Promise<void> {
      const active = await metadataStore.listActive(db);
      byKey = new Map(active.map((e) => [e.key, { definition: e.definition, version: e.version }]));
      generation++;
      for (const listener of listeners) listener();
    },
    /** The live entity with this key, or undefined. */
    find(key: string): LiveEntity | undefined {
      return byKey.get(key);
    },
    /** Every live entity, in creation order. */
    all(): LiveEntity[] {
      return [...byKey.values()];
    },
    definitions(): EntityDefinition[] {
      return [...byKey.values()].map((e) => e.definition);
    },
    get generation() {
      return generation;
    },
    onReload(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type EntityRegistry = ReturnType<typeof createEntityRegistry>;
