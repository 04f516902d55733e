import { param, sql } from "./sql.ts";
import type { Fragment } from "./sql.ts";

/**
 * SQL for re-keying select values with a map `{ oldKey: newKey | null }`, passed as one jsonb
 * parameter so user values never enter the SQL text. Keys absent from the map stay as they are.
 * @example mapOptionValue(sql`"stage"`, { lost: null }, false) // CASE … ($1::jsonb ->> "stage") …
 */
export function mapOptionValue(value: Fragment, valueMap: Record<string, string | null>, multiple: boolean): Fragment {
  const map = sql`${param(JSON.stringify(valueMap))}::jsonb`;
  if (!multiple) return sql`CASE WHEN (${map} -> ${value}) IS NULL THEN ${value} ELSE ${map} ->> ${value} END`;
  // Rebuild the array in its original order, dropping cleared keys and duplicates created by merging two options.
  return sql`ARRAY(SELECT u.v FROM (SELECT CASE WHEN (${map} -> e.k) IS NULL THEN e.k ELSE ${map} ->> e.k END AS v, min(e.n) AS n FROM unnest(${value}) WITH ORDINALITY AS e(k, n) GROUP BY 1) AS u WHERE u.v IS NOT NULL ORDER BY u.n)`;
}

/** Predicate: the value holds at least one key of the map (so the row changes). */
export function touchesOptions(value: Fragment, valueMap: Record<string, string | null>, multiple: boolean): Fragment {
  const map = sql`${param(JSON.stringify(valueMap))}::jsonb`;
  if (!multiple) return sql`(${map} -> ${value}) IS NOT NULL`;
  return sql`${value} && ARRAY(SELECT jsonb_object_keys(${map}))`;
}
