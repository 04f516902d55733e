import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "../integration/support/databases.ts";
import { buildOrg, ORG_PASSWORD, type Org } from "../integration/support/org-fixture.ts";
import { useTestServer } from "../integration/support/test-server.ts";
import { ALLOW_NO_BROWSER, hasChromium, launchChromium, screenshotFolder } from "./support/chromium.ts";

const pglite = databaseTargets.find((t) => t.name === "pglite") ?? databaseTargets[0]!;
const NAME = "Browser Test Account";

/**
 * A sales rep works in the studio, served by a real runtime (PGlite) from the studio's build, in a real
 * headless chromium: signs in, creates, edits and finds an account, meets a server-side error on the
 * field that caused it; another rep outside the team cannot open that account by its URL.
 */
describe.skipIf(!hasChromium && ALLOW_NO_BROWSER)("studio in chromium: a sales rep's day", () => {
  const server = useTestServer(pglite);
  let org: Org;
  let browser: Browser;
  let shots: string;
  let accountId: string;

  beforeAll(async () => {
    browser = await launchChromium();
    shots = screenshotFolder("end-user");
    org = await buildOrg(server);
    // A unique field: the database, not the form, knows whether a value is taken.
    const current = await server.request("GET", "/api/meta/entities/account");
    const definition = { ...current.body.definition, fields: [...current.body.definition.fields, { id: "f-tax-number", key: "taxNumber", type: "text", label: { en: "Tax number", "zh-CN": "税号" }, unique: true }] };
    const changed = await server.request("PUT", "/api/meta/entities/account", { definition, baseVersion: current.body.version });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    for (const name of ["Other Co", "Another Browser Co", "Third Co"]) {
      const res = await server.request("POST", "/api/records/account", { name, status: "active" }, org.users.owner.headers);
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(ORG_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").waitFor({ state: "attached" });
  }

  /** Opens an Element Plus select and picks the visible option with this text. */
  async function choose(page: Page, select: string, option: string) {
    await page.locator(select).click();
    await page.locator(".el-select-dropdown__item:visible", { hasText: option }).first().click();
  }

  it("signs in and lists the entities the rep may read", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/records/account`);
    await page.waitForURL(/\/login\?next=/);
    await page.screenshot({ path: join(shots, "01-login.png") });
    await signIn(page, org.users.owner.email);
    expect(await page.getByTestId("current-user").textContent()).toBe("owner");
    // A reload restores the session from the cookie (GET /api/me), user and all.
    await page.reload();
    await expect.poll(() => page.getByTestId("current-user").textContent()).toBe("owner");
    await page.getByRole("navigation").getByRole("link", { name: "Accounts" }).click();
    await page.getByRole("heading", { name: "Accounts" }).waitFor();
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(3);
    await page.screenshot({ path: join(shots, "02-account-list.png"), fullPage: true });
    await page.close();
  });

  it("creates and edits an account, and sees a server-side error on the field that caused it", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, org.users.owner.email);
    await page.goto(`${server.url}/records/account`);
    await page.getByTestId("new-record").click();
    await page.locator("#field-name").fill(NAME);
    await choose(page, '[data-field="industry"] .el-select', "Technology");
    await page.locator("#field-taxNumber").fill("TAX-1");
    await page.locator("#field-employees").fill("42");
    await page.screenshot({ path: join(shots, "03-new-account.png"), fullPage: true });
    await page.getByTestId("save").click();
    await page.waitForURL(/\/records\/account\/[0-9a-f-]{36}$/);
    accountId = page.url().split("/").pop()!;
    await expect.poll(() => page.getByTestId("record-title").textContent()).toBe(NAME);
    const created = await server.request("GET", `/api/records/account/${accountId}`);
    expect(created.body).toMatchObject({ name: NAME, industry: "technology", status: "prospect", taxNumber: "TAX-1", employees: 42, ownerId: org.users.owner.id });

    await page.locator("#field-phone").fill("+86 10 1234 5678");
    await page.getByTestId("save").click();
    await expect.poll(async () => (await server.request("GET", `/api/records/account/${accountId}`)).body.phone).toBe("+86 10 1234 5678");
    await expect.poll(() => page.locator("#field-phone").inputValue()).toBe("+86 10 1234 5678");
    await page.getByRole("tab", { name: "History" }).click();
    await page.locator(".el-timeline-item").nth(1).waitFor();
    expect(await page.locator(".el-timeline-item").count()).toBe(2);
    await page.screenshot({ path: join(shots, "04-record-history.png"), fullPage: true });

    await page.goto(`${server.url}/records/account/new`);
    await page.locator("#field-name").fill("Duplicate Co");
    await page.locator("#field-taxNumber").fill("TAX-1");
    await page.getByTestId("save").click();
    const error = page.locator('[data-field="taxNumber"] [data-testid="field-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/unique/i);
    expect(await page.locator("#field-taxNumber").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator('[data-field="name"] [data-testid="field-error"]').count()).toBe(0);
    expect(page.url()).toMatch(/\/records\/account\/new$/);
    await page.screenshot({ path: join(shots, "05-server-error-on-field.png"), fullPage: true });
    await page.close();
  });

  it("finds the account through the filter builder", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, org.users.owner.email);
    await page.goto(`${server.url}/records/account`);
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(4);
    await page.getByTestId("toggle-filters").click();
    await page.getByRole("button", { name: "Add condition" }).click();
    // First condition: name contains "browser" (two accounts match).
    await page.locator('[data-testid="filter-row-0"] .value input').fill("browser");
    await page.getByRole("button", { name: "Add condition" }).click();
    await choose(page, '[data-testid="filter-row-1"] .path', "Industry");
    await choose(page, '[data-testid="filter-row-1"] .op', "equals");
    await choose(page, '[data-testid="filter-row-1"] .value .el-select', "Technology");
    await page.getByTestId("apply-filters").click();
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(1);
    expect(await page.locator(".el-table__row").first().textContent()).toContain(NAME);
    await page.screenshot({ path: join(shots, "06-filtered-list.png"), fullPage: true });
    await page.locator(".el-table__row a", { hasText: NAME }).click();
    await page.waitForURL(new RegExp(`/records/account/${accountId}$`));
    await page.close();
  });

  it("offers a reload when the record changed since the page opened (412)", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, org.users.owner.email);
    await page.goto(`${server.url}/records/account/${accountId}`);
    await page.locator("#field-city").fill("Hangzhou");
    const current = (await server.request("GET", `/api/records/account/${accountId}`)).body;
    const other = await server.request("PATCH", `/api/records/account/${accountId}`, { website: "https://example.com" }, { ...org.users.owner.headers, "if-match": `"${current.version}"` });
    expect(other.status).toBe(200);
    await page.getByTestId("save").click();
    const conflict = page.getByTestId("conflict");
    await conflict.waitFor();
    await page.screenshot({ path: join(shots, "10-record-conflict.png"), fullPage: true });
    expect((await server.request("GET", `/api/records/account/${accountId}`)).body.city ?? null).toBeNull();
    await conflict.getByRole("button", { name: "Reload" }).click();
    await expect.poll(() => page.locator("#field-website").inputValue()).toBe("https://example.com");
    await page.locator("#field-city").fill("Hangzhou");
    await page.getByTestId("save").click();
    await expect.poll(async () => (await server.request("GET", `/api/records/account/${accountId}`)).body.city).toBe("Hangzhou");
    await page.close();
  });

  it("exports the current view as CSV (a manager, who may export)", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, org.users.manager.email);
    await page.goto(`${server.url}/records/account`);
    await page.getByRole("searchbox", { name: "Search" }).fill("browser");
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(2);
    const href = await page.getByTestId("export").getAttribute("href");
    expect(href).toContain("q=browser");
    const csv = await (await page.request.get(server.url + href!)).text();
    expect(csv).toContain(NAME);
    expect(csv).toContain("Another Browser Co");
    expect(csv).not.toContain("Third Co");
    await page.close();
  });

  it("deletes several records at once from the list", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, org.users.owner.email);
    await page.goto(`${server.url}/records/account`);
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(4);
    for (const name of ["Other Co", "Third Co"]) await page.locator(".el-table__row", { hasText: name }).locator(".el-checkbox").click();
    await page.getByTestId("delete-selected").click();
    await page.locator(".el-message-box").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(2);
    const left = (await server.request("GET", "/api/records/account?fields=name&sort=name")).body.items.map((r: { name: string }) => r.name);
    expect(left).toEqual(["Another Browser Co", NAME]);
    await page.close();
  });

  it("speaks Simplified Chinese and fits a phone", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, org.users.owner.email);
    await page.locator("#locale-select").selectOption("zh-CN");
    await page.getByRole("button", { name: "菜单" }).click();
    await page.getByRole("navigation").getByRole("link", { name: "客户" }).click();
    await page.getByRole("heading", { name: "客户" }).waitFor();
    await expect.poll(() => page.locator(".el-table__row").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("new-record").textContent()).toContain("新建");
    await page.screenshot({ path: join(shots, "11-zh-CN-phone.png"), fullPage: true });
    await page.goto(`${server.url}/records/account/${accountId}`);
    await page.getByRole("tab", { name: "历史" }).waitFor();
    await page.screenshot({ path: join(shots, "12-zh-CN-record-phone.png"), fullPage: true });
    await page.close();
  });

  it("moves an opportunity between stages on the board, with If-Match, and shows a conflict", async () => {
    const owner = org.users.owner.headers;
    const account = (await server.request("POST", "/api/records/account", { name: "Board Account" }, owner)).body.id as string;
    const deal = await server.request("POST", "/api/records/opportunity", { name: "Board Deal", account, stage: "prospecting", amount: { amount: 5000, currency: "CNY" } }, owner);
    expect(deal.status).toBe(201);
    const id = deal.body.id as string;
    const stageOf = async () => (await server.request("GET", `/api/records/opportunity/${id}`)).body as { stage: string; version: number };
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await signIn(page, org.users.owner.email);
    await page.goto(`${server.url}/records/opportunity`);
    // A filter through the relation: opportunities whose account's name starts with "Board".
    await page.getByTestId("toggle-filters").click();
    await page.getByRole("button", { name: "Add condition" }).click();
    await choose(page, '[data-testid="filter-row-0"] .path', "Account › Account name");
    await choose(page, '[data-testid="filter-row-0"] .op', "starts with");
    await page.locator('[data-testid="filter-row-0"] .value input').fill("Board");
    await page.getByTestId("apply-filters").click();
    await expect.poll(() => page.locator(".el-table__row").count()).toBe(1);
    expect(await page.locator(".el-table__row").first().textContent()).toContain("Board Account");
    await page.getByTestId("board-link").click();
    const card = page.locator(`[data-record="${id}"]`);
    await card.waitFor();
    expect(await page.locator('[data-column="prospecting"]').locator(`[data-record="${id}"]`).count()).toBe(1);
    await page.screenshot({ path: join(shots, "08-board.png") });

    await card.dragTo(page.locator('[data-column="qualification"]'));
    await expect.poll(async () => (await stageOf()).stage).toBe("qualification");
    expect((await stageOf()).version).toBe(2);
    await page.locator('[data-column="qualification"]').locator(`[data-record="${id}"]`).waitFor();

    // Someone else changes the deal: the card's version is stale, the move is refused and undone.
    const other = await server.request("PATCH", `/api/records/opportunity/${id}`, { nextStep: "Call back" }, { ...owner, "if-match": '"2"' });
    expect(other.status).toBe(200);
    await page.locator(`[data-record="${id}"]`).dragTo(page.locator('[data-column="proposal"]'));
    await page.locator(".el-message--warning", { hasText: "changed by someone else" }).waitFor();
    await page.locator('[data-column="qualification"]').locator(`[data-record="${id}"]`).waitFor();
    expect((await stageOf()).stage).toBe("qualification");
    await page.screenshot({ path: join(shots, "09-board-conflict.png") });

    // Without a mouse: the card's menu moves it too (now with the fresh version).
    await page.locator(`select[data-move="${id}"]`).selectOption("negotiation");
    await expect.poll(async () => (await stageOf()).stage).toBe("negotiation");

    // The account's page lists its opportunities, and a new one from there starts on that account.
    await page.goto(`${server.url}/records/account/${account}`);
    await page.getByRole("tab", { name: "Opportunities (1)" }).click();
    await page.locator('[data-related="opportunity"]').getByRole("link", { name: "Board Deal" }).waitFor();
    await page.screenshot({ path: join(shots, "13-related-list.png") });
    await page.locator('[data-related="opportunity"]').getByTestId("related-new").click();
    await page.waitForURL(/\/records\/opportunity\/new\?account=/);
    await expect.poll(() => page.locator('[data-field="account"] .el-select').textContent()).toContain("Board Account");
    await page.close();
  });

  it("places activities on a month calendar by their due date", async () => {
    const now = new Date();
    const due = new Date(now.getFullYear(), now.getMonth(), 15, 10, 30);
    const day = `${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, "0")}-15`;
    const created = await server.request("POST", "/api/records/activity", { subject: "Calendar call", type: "call", dueAt: due.toISOString() }, org.users.owner.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, org.users.owner.email);
    await page.goto(`${server.url}/records/activity`);
    await page.getByTestId("calendar-link").click();
    await page.locator(`[data-day="${day}"]`).getByRole("link", { name: /Calendar call/ }).waitFor();
    await page.screenshot({ path: join(shots, "14-calendar.png") });
    await page.getByRole("button", { name: "Next month" }).click();
    await expect.poll(() => page.getByRole("link", { name: /Calendar call/ }).count()).toBe(0);
    await page.getByRole("button", { name: "Previous month" }).click();
    await page.locator(`[data-day="${day}"]`).getByRole("link", { name: /Calendar call/ }).click();
    await page.waitForURL(new RegExp(`/records/activity/${created.body.id}$`));
    await page.close();
  });

  it("keeps a rep outside the team from another rep's account, even by URL", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, org.users.colleague.email);
    await page.goto(`${server.url}/records/account/${accountId}`);
    await page.getByTestId("not-found").waitFor();
    expect(await page.locator("#field-name").count()).toBe(0);
    expect(await page.content()).not.toContain(NAME);
    await page.screenshot({ path: join(shots, "07-no-access.png") });
    // Nor an admin screen: the route is refused before its chunk loads, and /api/meta answers 403 anyway.
    await page.goto(`${server.url}/admin`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await page.getByRole("heading", { name: "Administration" }).count()).toBe(0);
    await page.close();
  });
});
