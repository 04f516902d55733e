export interface ChurnSettings {
  days?: number;
  flagField?: string;
  statuses?: string[];
}

export const DAY_MS = 86_400_000;

/**
 * Whether a customer has gone quiet: no activity since `cutoff`, not followed up since, and
 * older than the window (a new account has had no time to be active).
 * @example isAtRisk({ createdAt: "2024-01-01T00:00:00.000Z", lastFollowUpAt: null }, false, "2025-01-01T00:00:00.000Z") // true
 */
export function isAtRisk(account: { createdAt: string; lastFollowUpAt?: string | null }, recentActivity: boolean, cutoff: string): boolean {
  if (recentActivity || account.createdAt >= cutoff) return false;
  return account.lastFollowUpAt == null || account.lastFollowUpAt < cutoff;
}
