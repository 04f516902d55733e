import type { AnyEntities, Crm, EntityMap, FindQuery, StoredRecord } from "./types.ts";

/**
 * Every record matching `query`, in its sort order (id order without one), 200 a page, following
 * each page's `nextCursor`: for schedules that sweep a table. Each page counts against the rows-read
 * budget as it arrives.
 *
 * @example
 * for await (const account of findAll(crm, "account", { filter: "status:eq:active", fields: "grade" })) {
 *   …
 * }
 */
export async function* findAll<E extends EntityMap = AnyEntities, K extends keyof E & string = keyof E & string>(crm: Crm<E, any>, entity: K, query: Omit<FindQuery, "limit" | "cursor"> = {}): AsyncGenerator<StoredRecord<E[K]>> {
  let cursor: string | undefined;
  for (;;) {
    const page = await crm.records.find(entity, { sort: "id", ...query, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    yield* page;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

const PAGE = 200;
