import type { OpenApiExtension } from "./create-openapi-document.ts";
import { errorResponses, ETAG_HEADER, PROBLEM_TYPE } from "./shared-components.ts";
import { ref, type Operation, type SchemaObject } from "./types.ts";

const TAG = "Pool";
const problem = (description: string, headers?: Record<string, SchemaObject>) => ({ description, ...(headers ? { headers } : {}), content: { [PROBLEM_TYPE]: { schema: ref("schemas", "Problem") } } });
const parameters = [
  { name: "entity", in: "path", required: true, description: "Key of an entity with a `pool` in its definition.", schema: { type: "string" } },
  { name: "id", in: "path", required: true, description: "The record's id.", schema: { type: "string", format: "uuid" } },
];

function operation(operationId: string, summary: string, description: string, extra: Record<string, unknown>): Operation {
  return {
    operationId,
    summary,
    description,
    tags: [TAG],
    parameters,
    responses: {
      "200": { description: "The record with its new owner (only the fields the caller may read).", headers: { ETag: ETAG_HEADER }, content: { "application/json": { schema: { type: "object", additionalProperties: true } } } },
      ...errorResponses(401, 403, 404, 500),
      "404": problem("`NO_POOL` when the entity has no pool; `RECORD_NOT_FOUND` for a missing record, or one the caller cannot read."),
      ...extra,
    },
  };
}

/**
 * Claiming records from an entity's pool (records nobody owns) and returning them to it, on every
 * entity whose definition has a `pool` (so documented once, with the entity as a parameter).
 */
export function poolExtension(): OpenApiExtension {
  return {
    tags: [{ name: TAG, description: "An entity's public pool: records nobody owns, which users whose role grants `claim` see and claim, within a daily quota and a cap on records held." }],
    paths: {
      "/api/records/{entity}/{id}/claim": {
        post: operation("claimRecord", "Claim a record from the pool", "The caller becomes the record's owner. Needs the `claim` permission and a user (not a role token).", {
          "409": problem("`RECORD_OWNED`: someone owns the record (another user claimed it first); `OWNED_LIMIT_REACHED`: the caller owns `maxOwned` records of the entity already."),
          "429": problem("`CLAIM_QUOTA_REACHED`: the caller made `claimsPerDay` claims today (in the pool's time zone).", {
            "Retry-After": { description: "Seconds until the next day starts in the pool's time zone.", schema: { type: "integer", minimum: 1 } },
          }),
        }),
      },
      "/api/records/{entity}/{id}/release": {
        post: operation("releaseRecord", "Return a record to the pool", "Clears the owner. Allowed to the owner, and to callers who may transfer the record within their update scope.", {
          "409": problem("`RECORD_IN_POOL`: nobody owns the record already."),
        }),
      },
    },
  };
}
