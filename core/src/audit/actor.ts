/**
 * Who made a record change. Each kind names its own id (the user, the API token, the workflow run, the
 * plugin, the import batch) and, where there is one, the user it acted for.
 */
export type Actor =
  | { kind: "user"; userId: string; sessionId?: string }
  | { kind: "token"; tokenId: string; userId: string | null }
  | { kind: "workflow"; runId: string; userId?: string | null }
  | { kind: "plugin"; pluginId: string; userId?: string | null }
  | { kind: "import"; batchId: string; userId: string | null }
  | { kind: "system" };

export type ActorKind = Actor["kind"];

/** The platform itself (startup, migrations): no user, no id. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: "system" });

/**
 * The user an actor acts for, or null.
 * @example actorUserId({ kind: "token", tokenId: "t1", userId: "u1" }) // "u1"
 */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === "system" ? null : (actor.userId ?? null);
}

/**
 * The actor's own id: user, token, run, plugin or batch id (null for the system).
 * @example actorId({ kind: "workflow", runId: "r1" }) // "r1"
 */
export function actorId(actor: Actor): string | null {
  switch (actor.kind) {
    case "user":
      return actor.userId;
    case "token":
      return actor.tokenId;
    case "workflow":
      return actor.runId;
    case "plugin":
      return actor.pluginId;
    case "import":
      return actor.batchId;
    case "system":
      return null;
    default: {
      const never: never = actor;
      return never;
    }
  }
}
