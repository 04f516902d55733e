/**
 * The wait before retrying an outbox delivery (webhooks, email) after failed attempt number `attempt` (1-based): `baseMs` tripled at each
 * attempt, capped at 360 × `baseMs`, with ±20 % jitter so that a receiver coming back is not hit by every
 * retry at once. With the default 10 s: about 10 s, 30 s, 90 s, 4.5 min, 13.5 min, 40 min, then 1 h.
 * @example retryBackoff(2, 10_000, () => 0.5) // 30_000
 */
export function retryBackoff(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const delay = Math.min(baseMs * 3 ** Math.max(0, attempt - 1), baseMs * 360);
  return Math.round(delay * (0.8 + 0.4 * random()));
}
