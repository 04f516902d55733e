const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string is a UUID (any case): record ids, owners and relation values.
 * @example isUuid("0b7e7a52-3c1d-4f7e-9a55-0c1f2e3d4a5b") // true
 */
export function isUuid(value: unknown): boolean {
  return typeof value === "string" && UUID.test(value);
}
