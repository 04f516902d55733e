import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

type Row = Record<string, any>;

describe.each(databaseTargets)("record reads on $name", (target) => {
  const server = useTestServer(target, { seed: false, env: { WEBHOOK_POLL_MS: "600000" } });
  let ready: Promise<{ orgs: any; people: Row[]; tags: any }> | undefined;

  const industries = ["tech", "retail", "energy"];
  function setUp() {
    ready ??= (async () => {
      const defs = [
        entity("label", [{ key: "name", type: "text" }]),
        entity("org", [
          { key: "name", type: "text", required: true },
          { key: "industry", type: "select", options: industries.map((k) => ({ key: k, label: { en: k } })) },
          { key: "people", type: "relation", relation: "oneToMany", target: "person", inverse: "org" },
        ]),
        entity("person", [
          { key: "name", type: "text", required: true },
          { key: "email", type: "email" },
          { key: "age", type: "integer" },
          { key: "score", type: "decimal", precision: 6, scale: 2 },
          { key: "salary", type: "currency", defaultCurrency: "USD" },
          { key: "active", type: "boolean" },
          { key: "born", type: "date" },
          { key: "seenAt", type: "datetime" },
          { key: "skills", type: "multiSelect", options: ["ts", "sql", "go"].map((k) => ({ key: k, label: { en: k } })) },
          { key: "org", type: "relation", relation: "manyToOne", target: "org", onDelete: "setNull" },
          { key: "labels", type: "relation", relation: "manyToMany", target: "label" },
        ]),
      ];
      const created = await server.request("POST", "/api/meta/entities", { definitions: defs });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const tags = (await server.request("POST", "/api/records/label", [{ name: "vip" }, { name: "new" }])).body.items;
      const orgs = (await server.request("POST", "/api/records/org", industries.map((industry, i) => ({ name: `Org ${i}`, industry })))).body.items;
      const people = [];
      for (let i = 0; i < 30; i++) {
        people.push({
          name: `Person ${String(i).padStart(2, "0")}`,
          email: i % 5 === 0 ? null : `p${i}@example.com`,
          age: i % 4 === 0 ? null : 20 + (i % 7),
          score: (i * 3.25) % 50,
          salary: { amount: 1000 * (i % 6), currency: i % 2 ? "USD" : "EUR" },
          active: i % 3 === 0,
          born: `19${70 + (i % 20)}-0${1 + (i % 9)}-1${i % 9}`,
          seenAt: `2026-0${1 + (i % 6)}-1${i % 10}T1${i % 10}:00:00.000Z`,
          skills: [["ts"], ["sql", "go"], [], ["ts", "sql"]][i % 4],
          org: i % 7 === 6 ? null : orgs[i % 3].id,
          labels: i % 2 ? [tags[0].id] : [],
        });
      }
      const res = await server.request("POST", "/api/records/person", people);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { orgs, people: res.body.items, tags };
    })();
    return ready;
  }

  async function list(query: string): Promise<Row> {
    const res = await server.request("GET", `/api/records/person?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function names(filter: string) {
    return (await list(`limit=200&sort=name&filter=${encodeURIComponent(filter)}`)).items.map((r: Row) => r.name);
  }

  function expected(people: Row[], predicate: (p: Row) => boolean) {
    return people.filter(predicate).map((p) => p.name).sort();
  }

  it("filters with every operator on the types it applies to", async () => {
    const { people, orgs } = await setUp();
    const cases: Array<[string, (p: Row) => boolean]> = [
      ["age:eq:22", (p) => p.age === 22],
      ["age:ne:22", (p) => p.age !== 22],
      ["age:gt:24", (p) => p.age !== null && p.age > 24],
      ["age:gte:24", (p) => p.age !== null && p.age >= 24],
      ["age:lt:22", (p) => p.age !== null && p.age < 22],
      ["age:lte:22", (p) => p.age !== null && p.age <= 22],
      ["age:in:(21,23)", (p) => [21, 23].includes(p.age)],
      ["age:nin:(21,23)", (p) => ![21, 23].includes(p.age)],
      ["age:isNull", (p) => p.age === null],
      ["age:isNull:false", (p) => p.age !== null],
      ["score:gte:40.5", (p) => p.score >= 40.5],
      ["salary:gt:3000", (p) => p.salary.amount > 3000],
      ["salary.currency:eq:EUR", (p) => p.salary.currency === "EUR"],
      ["email:contains:P1", (p) => (p.email ?? "").toLowerCase().includes("p1")],
      ["email:startsWith:p2", (p) => (p.email ?? "").startsWith("p2")],
      ["email:isNull", (p) => p.email === null],
      ["name:eq:Person 07", (p) => p.name === "Person 07"],
      ["name:gt:Person 25", (p) => p.name > "Person 25"],
      ["active:eq:true", (p) => p.active === true],
      ["active:ne:true", (p) => p.active !== true],
      ["born:lt:1975-01-01", (p) => p.born < "1975-01-01"],
      ["seenAt:gte:2026-04-01T00:00:00Z", (p) => p.seenAt >= "2026-04-01T00:00:00.000Z"],
      ["skills:contains:(ts,sql)", (p) => p.skills.includes("ts") && p.skills.includes("sql")],
      ["skills:in:(go)", (p) => p.skills.includes("go")],
      ["skills:nin:(ts)", (p) => !p.skills.includes("ts")],
      ["skills:isNull", (p) => p.skills.length === 0],
      [`org:eq:${orgs[0].id}`, (p) => p.org === orgs[0].id],
      ["org:isNull", (p) => p.org === null],
      ["org.industry:eq:retail", (p) => p.org === orgs[1].id],
      ["org.name:startsWith:Org 2", (p) => p.org === orgs[2].id],
      ["org.industry:ne:retail", (p) => p.org !== orgs[1].id],
      ["and(age:gte:21,or(active:eq:true,org.industry:eq:tech))", (p) => p.age !== null && p.age >= 21 && (p.active || p.org === orgs[0].id)],
      ["or(and(age:eq:20,active:eq:true),email:isNull)", (p) => (p.age === 20 && p.active) || p.email === null],
      ["not(age:eq:22)", (p) => p.age !== 22],
      ["score:in:(3.25,6.5)", (p) => [3.25, 6.5].includes(p.score)],
      ["score:nin:(3.25,6.5)", (p) => ![3.25, 6.5].includes(p.score)],
      ["salary:in:(1000,2000)", (p) => [1000, 2000].includes(p.salary.amount)],
      ["born:in:(1971-02-11,1972-03-12)", (p) => ["1971-02-11", "1972-03-12"].includes(p.born)],
      ["seenAt:nin:(2026-01-10T10:00:00Z)", (p) => p.seenAt !== "2026-01-10T10:00:00.000Z"],
      ["seenAt:lt:2026-02-01", (p) => p.seenAt < "2026-02-01T00:00:00.000Z"],
      ["name:in:(Person 01,Person 02)", (p) => ["Person 01", "Person 02"].includes(p.name)],
      ["name:contains:ON 1", (p) => p.name.toLowerCase().includes("on 1")],
      ["name:startsWith:person 2", (p) => p.name.startsWith("Person 2")],
      ["org.industry:in:(tech,energy)", (p) => p.org === orgs[0].id || p.org === orgs[2].id],
      ["org.industry:nin:(tech)", (p) => p.org !== orgs[0].id],
      ["org.industry:isNull", (p) => p.org === null],
      ["version:eq:1", () => true],
      [`id:in:(${people[0]!.id},${people[1]!.id})`, (p) => p.id === people[0]!.id || p.id === people[1]!.id],
      ["createdAt:lt:2000-01-01", () => false],
    ];
    for (const [filter, predicate] of cases) {
      expect(await names(filter), filter).toEqual(expected(people, predicate));
    }
    // Several filter parameters are ANDed.
    expect((await list("limit=200&filter=active:eq:true&filter=age:isNull")).items.map((r: Row) => r.name).sort()).toEqual(expected(people, (p) => p.active && p.age === null));
  });

  it("sorts on several fields with ties, nulls last, and pages with stable cursors", async () => {
    const { people } = await setUp();
    const all = (await list("limit=200&sort=-age,name")).items.map((r: Row) => r.name);
    const sorted = [...people]
      .sort((a, b) => (a.age === b.age ? (a.name < b.name ? -1 : 1) : a.age === null ? -1 : b.age === null ? 1 : b.age - a.age))
      .map((p) => p.name);
    expect(all).toEqual(sorted);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Row = await list(`limit=7&sort=-age,name${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...page.items.map((r: Row) => r.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(sorted);
  });

  it("keeps cursor pagination free of duplicates and gaps while records are inserted", async () => {
    await setUp();
    const before = (await list("limit=200&sort=createdAt")).items.map((r: Row) => r.id);
    // A writer inserts records concurrently for as long as the reader pages.
    let writing = true;
    let inserted = 0;
    const writer = (async () => {
      while (writing) {
        const res = await server.request("POST", "/api/records/person", { name: `Late ${inserted++}` });
        expect(res.status).toBe(201);
      }
    })();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Row = await list(`limit=4&sort=createdAt${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...page.items.map((r: Row) => r.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < before.length + 200);
    writing = false;
    await writer;
    expect(inserted).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, before.length)).toEqual(before);
    await server.sql(`delete from data."person" where "name" like 'Late %'`);
  });

  it("selects fields, counts when asked, and searches text", async () => {
    const { people } = await setUp();
    const page = await list("fields=name,age&limit=3&count=true&sort=name");
    expect(Object.keys(page.items[0]).sort()).toEqual(["age", "createdAt", "createdBy", "id", "name", "ownerId", "updatedAt", "updatedBy", "version"]);
    expect(page.total).toBe(people.length);
    expect((await list("limit=3")).total).toBeUndefined();
    const found = await list("q=p17&limit=200");
    expect(found.items.map((r: Row) => r.name)).toEqual(["Person 17"]);
    expect((await list("q=person 2&limit=200&sort=name")).items.length).toBeGreaterThan(0);
  });

  it("expands relations two levels deep with one query per expanded relation and level", async () => {
    const { orgs } = await setUp();
    const before = server.runtime.db.pool().queries;
    const page = await list("limit=10&sort=name&expand=org.people,labels");
    const used = server.runtime.db.pool().queries - before;
    // the caller's token + list + org + org.people + labels = 5, whatever the page size
    expect(used).toBe(5);
    const withOrg = page.items.find((r: Row) => r.org !== null);
    expect(withOrg.org).toMatchObject({ id: expect.any(String), name: expect.stringMatching(/^Org/) });
    expect(withOrg.org.people.length).toBeGreaterThan(0);
    expect(withOrg.org.people.every((p: Row) => p.org === withOrg.org.id)).toBe(true);
    const labelled = page.items.find((r: Row) => r.labels.length > 0);
    expect(labelled.labels[0]).toMatchObject({ name: "vip" });
    const one = await server.request("GET", `/api/records/org/${orgs[0].id}?expand=people`);
    expect(one.status).toBe(200);
    expect(one.body.people.length).toBeGreaterThan(0);
  });

  it("aggregates with groups, date buckets and metrics equal to values computed here", async () => {
    const { people, orgs } = await setUp();
    const res = await server.request("GET", "/api/records/person/aggregate?groupBy=org&metrics=count,sum:score,avg:age,min:born,max:score&sort=-count");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const group of res.body.groups) {
      const members = people.filter((p) => p.org === group.key.org);
      expect(group.count).toBe(members.length);
      expect(Number(group.sum.score)).toBeCloseTo(members.reduce((s, p) => s + p.score, 0), 2);
      const ages = members.filter((p) => p.age !== null).map((p) => p.age);
      expect(Number(group.avg.age)).toBeCloseTo(ages.reduce((s, a) => s + a, 0) / ages.length, 6);
      expect(group.min.born).toBe(members.map((p) => p.born).sort()[0]);
    }
    expect(res.body.groups.map((g: Row) => g.count)).toEqual([...res.body.groups.map((g: Row) => g.count)].sort((a, b) => b - a));
    const months = await server.request("GET", `/api/records/person/aggregate?groupBy=seenAt:month&filter=${encodeURIComponent(`org:eq:${orgs[0].id}`)}`);
    expect(months.status).toBe(200);
    const byMonth = new Map<string, number>();
    for (const p of people.filter((x) => x.org === orgs[0].id)) byMonth.set(p.seenAt.slice(0, 7) + "-01", (byMonth.get(p.seenAt.slice(0, 7) + "-01") ?? 0) + 1);
    expect(Object.fromEntries(months.body.groups.map((g: Row) => [g.key.seenAt, g.count]))).toEqual(Object.fromEntries(byMonth));
  });

  it("answers bad queries with 400 problems naming the parameter", async () => {
    await setUp();
    for (const query of ["filter=nope:eq:1", "filter=age:contains:1", "filter=age:eq:abc", "filter=and(age:eq:1", "sort=nope", "limit=0", "limit=500", "cursor=garbage", "expand=nope", "fields=nope", "wat=1", "filter=labels:eq:x"]) {
      const res = await server.request("GET", `/api/records/person?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.issues[0].pointer, query).toMatch(/^\//);
    }
    const agg = await server.request("GET", "/api/records/person/aggregate?groupBy=name:month");
    expect(agg.status).toBe(400);
  });
});
