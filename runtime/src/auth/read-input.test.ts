import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { readInput, type InputSpec } from "./read-input.ts";

const SPEC = {
  name: { type: "string", max: 5, required: true },
  key: { type: "string", max: 10, pattern: /^[a-z]+$/ },
  note: { type: "string", max: 10, nullable: true },
  email: { type: "email" },
  password: { type: "password" },
  active: { type: "boolean" },
  parentId: { type: "uuid", nullable: true },
  ids: { type: "uuid[]" },
  settings: { type: "object" },
  at: { type: "datetime" },
} satisfies InputSpec;

const ID = "5f0c4b8e-9a0e-4c47-9a59-1d1b1f1e2a3b";

function issues(body: Record<string, unknown>, partial = false) {
  try {
    readInput(body, SPEC, { partial });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).issues.map((i) => `${i.pointer} ${i.code}`);
  }
}

describe("readInput", () => {
  it("reads valid input, trimming text and lowercasing and de-duplicating ids", () => {
    const value = readInput({ name: " Ann ", note: null, parentId: ID.toUpperCase(), ids: [ID, ID.toUpperCase()], at: "2030-01-01T00:00:00Z" }, SPEC);
    expect(value).toEqual({ name: "Ann", note: null, parentId: ID, ids: [ID], at: new Date("2030-01-01T00:00:00Z") });
  });

  it.each([
    [{}, ["/name REQUIRED"]],
    [{ name: "" }, ["/name INVALID_VALUE"]],
    [{ name: "toolong" }, ["/name INVALID_VALUE"]],
    [{ name: "a", key: "ABC" }, ["/key INVALID_FORMAT"]],
    [{ name: "a", email: "no-at-sign" }, ["/email INVALID_EMAIL"]],
    [{ name: "a", password: "short" }, ["/password PASSWORD_TOO_SHORT"]],
    [{ name: "a", active: "yes" }, ["/active INVALID_TYPE"]],
    [{ name: "a", parentId: "1" }, ["/parentId INVALID_ID"]],
    [{ name: "a", ids: [ID, 7] }, ["/ids/1 INVALID_ID"]],
    [{ name: "a", settings: [] }, ["/settings INVALID_TYPE"]],
    [{ name: "a", at: "tomorrow" }, ["/at INVALID_DATETIME"]],
    [{ name: "a", "a/b": 1 }, ["/a~1b UNKNOWN_PROPERTY"]],
    [{ name: null, key: null }, ["/name INVALID_VALUE", "/key INVALID_VALUE"]],
  ])("%j → %j", (body, expected) => {
    expect(issues(body).sort()).toEqual([...expected].sort());
  });

  it("skips required checks for a partial (PATCH) input", () => {
    expect(issues({}, true)).toEqual([]);
  });
});
