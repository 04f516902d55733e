import { Hono } from "hono";
import { TeamNotFound, UserNotFound } from "../../auth/auth-errors.ts";
import { readInput } from "../../auth/read-input.ts";
import { addTeamMember, createTeam, deleteTeam, findTeam, listTeams, removeTeamMember, updateTeam } from "../../auth/team-store.ts";
import type { Database } from "../../db/database.ts";
import { readObject } from "../read-json.ts";
import { actor, idParam } from "./admin-context.ts";

const FIELDS = { name: { type: "string", max: 200, required: true }, memberIds: { type: "uuid[]" } } as const;

/** `/api/admin/teams`: teams and their members. */
export function teamRoutes(db: Database) {
  const app = new Hono();
  const teamId = (c: Parameters<typeof idParam>[0]) => idParam(c, "id", TeamNotFound);

  app.get("/", async (c) => c.json({ items: await listTeams(db) }));

  app.post("/", async (c) => {
    const input = readInput(await readObject(c), FIELDS);
    const team = await db.transaction((tx) => createTeam(tx, { name: input.name!, memberIds: input.memberIds }, actor(c)));
    c.header("location", `/api/admin/teams/${team.id}`);
    return c.json(team, 201);
  });

  app.get("/:id", async (c) => {
    const team = await findTeam(db, teamId(c));
    if (!team) throw TeamNotFound(`There is no team with id "${c.req.param("id")}".`);
    return c.json(team);
  });

  app.patch("/:id", async (c) => {
    const id = teamId(c);
    const patch = readInput(await readObject(c), FIELDS, { partial: true });
    return c.json(await db.transaction((tx) => updateTeam(tx, id, patch, actor(c))));
  });

  app.delete("/:id", async (c) => {
    const id = teamId(c);
    await db.transaction((tx) => deleteTeam(tx, id, actor(c)));
    return c.body(null, 204);
  });

  app.post("/:id/members", async (c) => {
    const id = teamId(c);
    const input = readInput(await readObject(c), { userId: { type: "uuid", required: true } });
    return c.json(await db.transaction((tx) => addTeamMember(tx, id, input.userId!, actor(c))));
  });

  app.delete("/:id/members/:userId", async (c) => {
    const id = teamId(c);
    const userId = idParam(c, "userId", UserNotFound);
    await db.transaction((tx) => removeTeamMember(tx, id, userId, actor(c)));
    return c.body(null, 204);
  });

  return app;
}
