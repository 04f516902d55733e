export interface Walk {
  pages: number;
  items: number;
  /** Milliseconds per page, in page order. */
  times: number[];
  totalMs: number;
}

/**
 * Follow `nextCursor` from the first page to the last with one client, one request at a time,
 * timing each page (request to parsed body).
 */
export async function walkPages(baseUrl: string, pagePath: (cursor: string | undefined) => string, headers: Record<string, string> = {}): Promise<Walk> {
  const times: number[] = [];
  let items = 0;
  let cursor: string | undefined;
  const started = performance.now();
  do {
    const path = pagePath(cursor);
    const before = performance.now();
    const response = await fetch(baseUrl + path, { headers });
    const page = (await response.json()) as { items?: unknown[]; nextCursor?: string | null };
    times.push(performance.now() - before);
    if (!response.ok || !Array.isArray(page.items)) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(page).slice(0, 300)}`);
    items += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { pages: times.length, items, times, totalMs: performance.now() - started };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
