import type { AnyEntities, Crm, EntityMap, FindQuery, StoredRecord } from "./types.ts";

/**
 * Every record matching `query`, page by page in id order (`id:gt:<last>`, 200 a page), for
 * schedules that sweep a table. Each page counts against the rows-read budget as it arrives.
 *
 * @example
 * for await (const account of findAll(crm, "account", { filter: "status:eq:active", fields: "grade" })) {
 *   …
 * }
 */
export async function* findAll<E extends EntityMap = AnyEntities, K extends keyof E & string = keyof E & string>(crm: Crm<E, any>, entity: K, query: Omit<FindQuery, "sort" | "limit"> = {}): AsyncGenerator<StoredRecord<E[K]>> {
  const filters = query.filter === undefined ? [] : Array.isArray(query.filter) ? query.filter : [query.filter];
  let last: string | undefined;
  for (;;) {
    const page = await crm.records.find(entity, { ...query, filter: last === undefined ? filters : [...filters, `id:gt:${last}`], sort: "id", limit: PAGE });
    yield* page;
    if (page.length < PAGE) return;
    last = page[page.length - 1]!.id;
  }
}

const PAGE = 200;
