import { ValidationFailed } from "../errors.ts";
import { readInput } from "./read-input.ts";

const NAME = { type: "string", max: 100, required: true } as const;
const EXPIRES = { type: "datetime", nullable: true } as const;

/** `{ name, expiresAt? }` (and `roleId` for a role token); `expiresAt` must lie in the future. */
export function readTokenInput(body: Record<string, unknown>, forRole: boolean): { name: string; roleId: string | null; expiresAt: Date | null } {
  const input: { name?: string; roleId?: string; expiresAt?: Date | null } = forRole
    ? readInput(body, { name: NAME, roleId: { type: "uuid", required: true }, expiresAt: EXPIRES })
    : readInput(body, { name: NAME, expiresAt: EXPIRES });
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw ValidationFailed("The expiry lies in the past.", { issues: [{ code: "IN_THE_PAST", pointer: "/expiresAt", message: "Choose a moment in the future, or null for no expiry." }] });
  }
  return { name: input.name!, roleId: input.roleId ?? null, expiresAt: input.expiresAt ?? null };
}
