import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "../integration/support/databases.ts";
import { login, type TestSession } from "../integration/support/login.ts";
import { useTestServer } from "../integration/support/test-server.ts";
import { ALLOW_NO_BROWSER, hasChromium, launchChromium, screenshotFolder } from "./support/chromium.ts";

const pglite = databaseTargets.find((t) => t.name === "pglite") ?? databaseTargets[0]!;
const REP = { email: "analyst-rep@example.test", password: "a-long-password-for-the-rep" };

/**
 * A sales rep's list and analytics work in chromium against a real runtime (PGlite): saves a view
 * (kept in the URL and the runtime), bulk-edits a selection, resolves a stale save by comparing, writes
 * rich text, and reads dashboards that count only what the rep may read.
 */
describe.skipIf(!hasChromium && ALLOW_NO_BROWSER)("studio in chromium: views, bulk edit, compare, rich text, dashboards", () => {
  const server = useTestServer(pglite);
  let browser: Browser;
  /** One signed-in browser context for every test: each opens its own page with the rep's cookies. */
  let context: BrowserContext | undefined;
  let shots: string;
  let rep: TestSession;
  let repId: string;
  let deals: string[];
  let activityId: string;

  beforeAll(async () => {
    browser = await launchChromium();
    shots = screenshotFolder("analytics");
    const roles = (await server.request("GET", "/api/admin/roles")).body.items as Array<{ id: string; key: string }>;
    const created = await server.request("POST", "/api/admin/users", { email: REP.email, name: "Rep", password: REP.password, roleIds: [roles.find((r) => r.key === "sales_rep")!.id] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    repId = created.body.id;
    rep = await login(server, REP.email, REP.password);
    const account = await server.request("POST", "/api/records/account", { name: "Analytics Co" }, rep.headers);
    const opportunity = (name: string, stage: string, amount: number) => ({ name, stage, amount: { amount, currency: "CNY" }, account: account.body.id });
    const mine = await server.request("POST", "/api/records/opportunity", [opportunity("Deal A", "proposal", 1000), opportunity("Deal B", "proposal", 2000), opportunity("Deal C", "negotiation", 500)], rep.headers);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    deals = mine.body.items.map((r: { id: string }) => r.id);
    // The admin's deal: the rep never sees it, in lists or in charts.
    const theirs = await server.request("POST", "/api/records/opportunity", opportunity("Admin deal", "proposal", 99000));
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const activity = await server.request("POST", "/api/records/activity", { subject: "Kick-off call", type: "call" }, rep.headers);
    expect(activity.status, JSON.stringify(activity.body)).toBe(201);
    activityId = activity.body.id;
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function signedIn(): Promise<Page> {
    if (context) return context.newPage();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.locator("#login-email").fill(REP.email);
    await page.locator("#login-password").fill(REP.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").waitFor({ state: "attached" });
    return page;
  }

  it("saves a view, keeps the list in the URL, and opens it again after a reload", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/records/opportunity`);
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(3);
    await page.getByRole("searchbox", { name: "Search" }).fill("Deal B");
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(1);
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("Deal B");
    await page.getByTestId("view-save-as").click();
    await page.locator("#view-name").fill("Deal B only");
    await page.getByTestId("view-submit").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("view")).toMatch(/^[0-9a-f-]{36}$/);
    const saved = await server.request("GET", "/api/views?entity=opportunity", undefined, rep.headers);
    expect(saved.body.items).toEqual([expect.objectContaining({ name: "Deal B only", q: "Deal B", shared: false })]);
    await page.screenshot({ path: join(shots, "01-saved-view.png"), fullPage: true });

    // A plain visit shows everything; the view's link brings it back.
    await page.goto(`${server.url}/records/opportunity`);
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(3);
    await page.goto(`${server.url}/records/opportunity?view=${saved.body.items[0].id}`);
    await expect.poll(() => page.getByRole("searchbox", { name: "Search" }).inputValue()).toBe("Deal B");
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(1);
    await page.close();
  });

  it("bulk-edits the selected records in one batch", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/records/opportunity?sort=name`);
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(3);
    await page.locator(".el-table__row").nth(0).locator(".el-checkbox").click();
    await page.locator(".el-table__row").nth(1).locator(".el-checkbox").click();
    await page.getByTestId("edit-selected").click();
    await page.getByTestId("bulk-fields").click();
    await page.locator(".el-select-dropdown__item:visible", { hasText: "Probability" }).first().click();
    await page.keyboard.press("Escape");
    await page.locator("#bulk-probability").fill("70");
    await page.locator("#bulk-probability").blur();
    await page.screenshot({ path: join(shots, "02-bulk-edit.png"), fullPage: true });
    await page.getByTestId("bulk-apply").click();
    await page.getByTestId("bulk-form").waitFor({ state: "detached" });
    const read = async (id: string) => (await server.request("GET", `/api/records/opportunity/${id}`, undefined, rep.headers)).body.probability;
    expect([await read(deals[0]!), await read(deals[1]!), await read(deals[2]!)]).toEqual([70, 70, null]);
    await page.close();
  });

  it("on a stale save, compares field by field and keeps the rep's value on the new version", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/records/opportunity/${deals[2]}`);
    await page.locator("#field-name").fill("Deal C (rep)");
    // Someone else saves first.
    const current = await server.request("GET", `/api/records/opportunity/${deals[2]}`);
    expect((await server.request("PATCH", `/api/records/opportunity/${deals[2]}`, { name: "Deal C (admin)", nextStep: "Call back" }, { "if-match": `"${current.body.version}"` })).status).toBe(200);
    await page.getByTestId("save").click();
    await page.getByTestId("conflict").waitFor();
    await page.getByTestId("compare-open").click();
    const row = page.locator('[data-testid="compare"] tr[data-field="name"]');
    await expect.poll(() => row.locator('[data-testid="theirs"]').textContent()).toBe("Deal C (admin)");
    expect(await row.locator('[data-testid="mine"]').textContent()).toBe("Deal C (rep)");
    await page.screenshot({ path: join(shots, "03-compare.png"), fullPage: true });
    await page.getByTestId("compare-save").click();
    await expect.poll(async () => (await server.request("GET", `/api/records/opportunity/${deals[2]}`)).body).toMatchObject({ name: "Deal C (rep)", nextStep: "Call back" });
    await page.close();
  });

  it("writes rich text with the editor, stored as sanitised HTML", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/records/activity/${activityId}`);
    const editor = page.locator("#field-notes");
    await editor.click();
    // The toolbar hands the focus back to the editor a moment after a click: a key typed sooner is lost.
    const bold = async (pressed: string) => {
      await page.locator('[data-command="bold"]').click();
      await expect.poll(async () => (await page.locator('[data-command="bold"]').getAttribute("aria-pressed")) === pressed && (await editor.evaluate((el) => el === document.activeElement))).toBe(true);
    };
    await bold("true");
    await page.keyboard.type("Agenda");
    await bold("false");
    await page.keyboard.type(" agreed");
    await expect.poll(() => editor.innerHTML()).toBe("<p><strong>Agenda</strong> agreed</p>");
    await page.screenshot({ path: join(shots, "04-rich-text.png"), fullPage: true });
    await page.getByTestId("save").click();
    await expect.poll(async () => (await server.request("GET", `/api/records/activity/${activityId}`)).body.notes).toBe("<p><strong>Agenda</strong> agreed</p>");
    await page.close();
  });

  it("shows dashboards over what the rep may read, and a custom chart", async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/records/opportunity`);
    await page.getByTestId("dashboards-link").click();
    const pipeline = page.getByTestId("chart-opportunity-stage");
    await pipeline.locator("canvas").waitFor();
    const rows = (chart: ReturnType<Page["getByTestId"]>) => chart.getByTestId("chart-row").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("th, td"), (cell) => cell.textContent?.trim()).join(" ")));
    // The admin's 99,000 proposal is not the rep's to see.
    expect(await rows(pipeline)).toEqual(["Proposal 3,000", "Negotiation 500"]);
    await page.screenshot({ path: join(shots, "05-dashboards.png"), fullPage: true });

    await page.getByTestId("chart-entity").click();
    await page.locator(".el-select-dropdown__item:visible", { hasText: "Opportunities" }).first().click();
    await page.getByTestId("chart-metric").click();
    await page.locator(".el-select-dropdown__item:visible", { hasText: "Average of Probability" }).first().click();
    await page.getByTestId("chart-show").click();
    const custom = page.locator(".grid.single");
    await custom.locator("canvas").waitFor();
    expect(await custom.getByTestId("chart-row").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, "06-custom-chart.png"), fullPage: true });
    await page.close();
  });
});
