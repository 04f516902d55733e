import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadShippedWorkflows } from "@crm/runtime";
import { databaseTargets } from "../integration/support/databases.ts";
import { buildOrg, ORG_PASSWORD, type Org } from "../integration/support/org-fixture.ts";
import { TEST_ADMIN, useTestServer } from "../integration/support/test-server.ts";
import { ALLOW_NO_BROWSER, hasChromium, launchChromium, screenshotFolder } from "./support/chromium.ts";

const pglite = databaseTargets.find((t) => t.name === "pglite") ?? databaseTargets[0]!;
const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_BACKOFF_MS: "50", WORKFLOW_JOB_POLL_MS: "500" };
// Roomy: a step of a workflow run (an approval request, a notification) may wait on a busy machine.
const POLL = { timeout: 45_000, interval: 200 };
/** A plugin whose record actions the account page shows as buttons: one works, one throws. */
const ACTIONS_PLUGIN = {
  manifest: {
    id: "account-stars",
    version: "1.0.0",
    engine: "^0.1.0",
    capabilities: { records: { read: ["account"], write: ["account"] } },
    actions: [
      { name: "star", label: { en: "Mark hot", "zh-CN": "标为热门" }, entity: "account", selection: "one" },
      { name: "explode", label: { en: "Break" }, entity: "account", selection: "one" },
    ],
  },
  code: `globalThis.plugin = { actions: {
    star: async (input) => ({ message: "Marked " + input.records[0].name + " hot", changes: { [input.records[0].id]: { rating: "hot" } } }),
    explode: async () => { throw new Error("the action broke on purpose"); },
  } };`,
};

/**
 * Workflows and what they bring to people, in chromium against a real runtime (PGlite, the built
 * studio): an administrator builds a workflow in the structured editor (a type error shows live at
 * its position), saves and enables it, watches its run fail at a step, fixes the data and retries
 * from that step, saves a second version and dry-runs it on the record; the record's owner finds the workflow's notification
 * under the bell; a manager rejects a discount in the approvals inbox and approves another on the
 * record page; a rep runs a plugin's record actions (one works, one fails with the plugin's message).
 */
describe.skipIf(!hasChromium && ALLOW_NO_BROWSER)("studio in chromium: workflows, approvals, notifications, record actions", () => {
  const server = useTestServer(pglite, { env: FAST });
  let org: Org;
  let browser: Browser;
  let shots: string;
  let accountId: string;

  beforeAll(async () => {
    browser = await launchChromium();
    shots = screenshotFolder("workflows");
    org = await buildOrg(server);
    expect((await server.request("PATCH", `/api/admin/users/${org.users.owner.id}`, { managerId: org.users.manager.id })).status).toBe(200);
    const approval = await server.request("POST", "/api/admin/workflows", loadShippedWorkflows().find((w) => w.id === "discount-approval"));
    expect(approval.status, JSON.stringify(approval.body)).toBe(201);
    const plugin = await server.request("POST", "/api/admin/plugins", ACTIONS_PLUGIN);
    expect(plugin.status, JSON.stringify(plugin.body)).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, email: string, password = ORG_PASSWORD) {
    await page.goto(`${server.url}/login`);
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").waitFor();
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  it("an administrator builds a workflow with live type checking, enables it, and retries its failed run from the failed step", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto(`${server.url}/admin/workflows`);
    await page.getByRole("link", { name: "Manager approval for discounts above 20 %", exact: true }).waitFor();
    await page.getByTestId("new-workflow").click();
    await page.locator("#wf-id").fill("new-account-check");
    await page.locator("#wf-name").fill("New account check");
    await page.locator("#wf-entity").selectOption("account");
    await page.locator("#wf-trigger-condition").fill("employes > 10");
    const conditionError = page.locator('[data-pointer="/trigger/condition"] [data-testid="expression-error"]');
    await expect.poll(() => conditionError.locator("mark").textContent()).toBe("employes");
    expect(await page.locator("#wf-trigger-condition").getAttribute("aria-invalid")).toBe("true");
    await shot(page, "01-workflow-live-type-error");
    await page.locator("#wf-trigger-condition").fill("employees > 10");
    await expect.poll(() => conditionError.count()).toBe(0);

    await page.getByTestId("add-step-type/steps").selectOption("updateRecord");
    await page.getByTestId("add-step/steps").click();
    await page.locator(".value-row", { has: page.locator("#wf-steps-0-values-name") }).getByRole("button", { name: /^Stop setting/ }).click();
    await page.locator("#wf-steps-0-values-add").selectOption("website");
    await page.locator("fieldset.values").first().getByRole("button", { name: "Add", exact: true }).click();
    await page.locator("#wf-steps-0-values-website").fill("city");
    await page.getByTestId("add-step-type/steps").selectOption("notify");
    await page.getByTestId("add-step/steps").click();
    await page.locator("#wf-steps-1-subject").fill('"Checked " & name');
    await page.getByTestId("workflow-checked").waitFor();
    await shot(page, "02-workflow-editor");
    await page.getByTestId("save-workflow").click();
    await page.waitForURL(/\/admin\/workflows\/new-account-check\?saved=1$/);
    await expect.poll(() => page.getByTestId("workflow-notice").textContent()).toContain("version 1");
    await page.getByTestId("toggle-workflow").click();
    await expect.poll(() => page.getByTestId("workflow-state").textContent()).toBe("enabled");

    // The website step fails on a city that is no URL, three attempts in all.
    const created = await server.request("POST", "/api/records/account", { name: "Check Co", status: "active", employees: 20, city: "not a url" }, org.users.owner.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    accountId = created.body.id;
    await page.getByRole("link", { name: "Run history" }).click();
    const runRow = page.locator("[data-run]").first();
    await expect.poll(async () => (await page.getByTestId("refresh-runs").click(), runRow.getAttribute("data-status")), POLL).toBe("failed");
    await runRow.getByRole("button").click();
    const failedStep = page.locator('[data-testid="run-steps"] tr[data-status="failed"]').first();
    await failedStep.waitFor();
    expect(await page.locator('[data-testid="run-steps"] tbody tr').count()).toBe(3);
    expect(await failedStep.getByTestId("step-error").textContent()).toMatch(/website|URL/i);
    await shot(page, "03-failed-run");

    expect((await server.request("PATCH", `/api/records/account/${accountId}`, { city: "https://check.example.com" }, { ...org.users.owner.headers, "if-match": `"${created.body.version}"` })).status).toBe(200);
    await page.getByTestId("retry-run").click();
    await expect.poll(() => page.getByTestId("run-notice").textContent()).toContain("failed step");
    await expect.poll(async () => (await page.getByTestId("refresh-runs").click(), page.getByTestId("run-detail").locator("h3").textContent()), POLL).toContain("succeeded");
    const statuses = await page.locator('[data-testid="run-steps"] tbody tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-step")?.split("-")[0]}:${r.getAttribute("data-status")}`));
    expect(statuses).toEqual(["update:failed", "update:failed", "update:failed", "update:succeeded", "notify:succeeded"]);
    expect((await server.request("GET", `/api/records/account/${accountId}`)).body.website).toBe("https://check.example.com");
    await shot(page, "04-retried-run");

    await page.getByRole("link", { name: "Edit the workflow" }).click();
    await page.locator("#wf-name").fill("New account check (v2)");
    await page.getByTestId("save-workflow").click();
    await expect.poll(() => page.getByTestId("workflow-version").textContent()).toBe("version 2");
    // A dry run of the draft on the account: the real engine, rolled back; the update shows as an effect.
    await page.locator("#wf-dry-record").fill(accountId);
    await page.getByTestId("dry-run-button").click();
    await expect.poll(() => page.getByTestId("dry-run-status").textContent()).toContain("succeeded");
    expect(await page.getByTestId("dry-run").locator("tbody tr").count()).toBe(2);
    await shot(page, "05-dry-run");
    await page.close();
  }, 120_000);

  it("the owner finds the workflow's notification under the bell and marks it read", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, org.users.owner.email);
    await expect.poll(() => page.getByTestId("unread-count").textContent(), POLL).toBe("1");
    await page.getByTestId("bell").click();
    const panel = page.getByTestId("notification-panel");
    await panel.getByRole("link", { name: "Checked Check Co" }).waitFor();
    await shot(page, "06-notifications");
    await panel.getByTestId("mark-all-read").click();
    await expect.poll(() => page.getByTestId("unread-count").count()).toBe(0);
    expect((await server.request("GET", "/api/me/notifications?unread=true", undefined, org.users.owner.headers)).body.unread).toBe(0);
    await page.close();
  });

  it("a manager rejects a discount in the approvals inbox and approves another on the record page", async () => {
    const account = (await server.request("POST", "/api/records/account", { name: "Discount Co", status: "active" }, org.users.owner.headers)).body.id;
    const deal = async (name: string) => {
      const created = await server.request("POST", "/api/records/opportunity", { name, account, stage: "proposal", amount: { amount: 50000, currency: "EUR" }, discount: 10 }, org.users.owner.headers);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await server.request("PATCH", `/api/records/opportunity/${created.body.id}`, { discount: 30 }, { ...org.users.owner.headers, "if-match": `"${created.body.version}"` })).status).toBe(200);
      return created.body.id as string;
    };
    const [rejected, approved] = [await deal("Rejected deal"), await deal("Approved deal")];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, org.users.manager.email);
    await page.getByRole("navigation").getByRole("link", { name: "Approvals" }).click();
    // The click returns before the client-side navigation: a reload before it lands reloads the home page.
    await page.waitForURL(/\/approvals$/);
    const card = page.locator("article.approval", { hasText: "Rejected deal" });
    // Reload until the request is there; count only once the inbox has loaded (a card or "none waiting").
    const inboxLoaded = page.locator('article.approval, [data-testid="no-approvals"]').first();
    await expect.poll(async () => (await page.reload(), await inboxLoaded.waitFor(), card.count()), POLL).toBe(1);
    await shot(page, "07-approvals-inbox");
    await card.getByLabel("Comment (optional)").fill("20 % is our limit.");
    await card.getByTestId("reject").click();
    await expect.poll(() => card.count()).toBe(0);
    await expect.poll(async () => (await server.request("GET", `/api/records/opportunity/${rejected}`)).body.discount, POLL).toBe(20);

    await page.goto(`${server.url}/records/opportunity/${approved}`);
    await page.getByRole("tab", { name: "Approvals (1)" }).click();
    const pending = page.getByTestId("record-approvals").locator('article[data-status="pending"]');
    await pending.getByTestId("approve").click();
    await expect.poll(() => page.getByTestId("record-approvals").locator('article[data-status="approved"]').count(), POLL).toBe(1);
    await shot(page, "08-record-approvals");
    await expect.poll(async () => (await server.request("GET", `/api/records/opportunity/${approved}`)).body.nextStep, POLL).toBe("Discount of 30 % approved");
    await page.close();
  });

  it("a rep runs a plugin's record action from the account page; a failing action shows the plugin's problem", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, org.users.owner.email);
    await page.goto(`${server.url}/records/account/${accountId}`);
    await page.getByRole("button", { name: "Mark hot" }).click();
    await page.locator(".el-message", { hasText: "Marked Check Co hot" }).waitFor();
    await expect.poll(async () => (await server.request("GET", `/api/records/account/${accountId}`)).body.rating).toBe("hot");
    await expect.poll(() => page.locator('[data-field="rating"]').textContent()).toContain("Hot");
    await page.getByRole("button", { name: "Break" }).click();
    await expect.poll(() => page.getByTestId("action-problem").textContent()).toContain("the action broke on purpose");
    await shot(page, "09-record-actions");
    // The account's Workflows tab lists the runs about it to its owner (statuses, no step data).
    await page.getByRole("tab", { name: "Workflows" }).click();
    await expect.poll(() => page.locator('[data-run][data-status="succeeded"]').count(), POLL).toBeGreaterThan(0);
    await shot(page, "10-record-workflows");
    await page.close();
  });
});
