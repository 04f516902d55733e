import { describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { toSql } from "./database.ts";

const dialect = new PgDialect();

describe("toSql", () => {
  it("binds $n placeholders as parameters, in any order and repeated", () => {
    const query = dialect.sqlToQuery(toSql(`select $2::int as b, $1 as a, $2 as again`, ["x", 7]));
    expect(query.params).toEqual([7, "x", 7]);
    expect(query.sql).toBe(`select $1::int as b, $2 as a, $3 as again`);
  });

  it("never inlines a value, however hostile", () => {
    const query = dialect.sqlToQuery(toSql(`select $1`, ["'; drop table x; --"]));
    expect(query.sql).toBe("select $1");
  });

  it("refuses a placeholder without a parameter", () => {
    expect(() => toSql("select $2", ["only one"])).toThrow("$2");
  });
});
