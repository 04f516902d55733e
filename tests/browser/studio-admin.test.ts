import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "../integration/support/databases.ts";
import { buildOrg, ORG_PASSWORD, type Org } from "../integration/support/org-fixture.ts";
import { TEST_ADMIN, useTestServer } from "../integration/support/test-server.ts";
import { ALLOW_NO_BROWSER, hasChromium, launchChromium, screenshotFolder } from "./support/chromium.ts";

const pglite = databaseTargets.find((t) => t.name === "pglite") ?? databaseTargets[0]!;

/**
 * An administrator designs an entity in the studio (a real runtime on PGlite serving the built studio,
 * headless chromium): creates it with five field types, arranges its form in the layout designer,
 * previews and applies it, then deletes a field holding data, which the preview marks lossy and
 * which applies only once ticked; the field comes back from the trash. A rep cannot open /admin.
 */
describe.skipIf(!hasChromium && ALLOW_NO_BROWSER)("studio in chromium: an administrator designs an entity", () => {
  const server = useTestServer(pglite);
  let org: Org;
  let browser: Browser;
  let shots: string;

  beforeAll(async () => {
    browser = await launchChromium();
    shots = screenshotFolder("admin");
    org = await buildOrg(server);
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${server.url}/login`);
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").waitFor();
  }

  async function addField(page: Page, index: number, type: string, key: string, label: string, zh: string) {
    await page.locator("#new-field-type").selectOption(type);
    await page.getByTestId("add-field").click();
    await page.locator(`#field-${index}-key`).fill(key);
    await page.locator(`#field-${index}-label-en`).fill(label);
    await page.locator(`#field-${index}-label-zh`).fill(zh);
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  it("creates an entity with five field types, arranges its form and applies it after the preview", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto(`${server.url}/admin/entities`);
    await page.getByRole("link", { name: "Design Account" }).waitFor();
    await shot(page, "01-entities");

    await page.getByTestId("new-entity").click();
    await page.waitForURL(/\/admin\/entities\/new$/);
    await page.locator("#entity-label-en").fill("Service contract");
    await page.locator("#entity-label-zh").fill("服务合同");
    expect(await page.locator("#entity-key").inputValue()).toBe("serviceContract");

    // A broken key is caught by core's validator on the client and shown on its input.
    await addField(page, 1, "integer", "Seats!", "Seats", "席位");
    await page.getByTestId("preview-changes").click();
    await expect.poll(() => page.locator("#field-1-key").getAttribute("aria-invalid")).toBe("true");
    await page.locator("#field-1-key").fill("seats");
    await page.locator("#field-1-min").fill("1");

    await addField(page, 2, "currency", "value", "Contract value", "合同金额");
    await page.locator("#field-2-currencies").fill("USD, CNY");
    await addField(page, 3, "select", "tier", "Tier", "等级");
    await page.locator("#field-3-option-0-key").fill("gold");
    await page.locator("#field-3-option-0-en").fill("Gold");
    await page.locator("#field-3-option-0-zh").fill("金牌");
    await page.getByRole("button", { name: "Add option" }).click();
    await page.locator("#field-3-option-1-key").fill("silver");
    await page.locator("#field-3-option-1-en").fill("Silver");
    await addField(page, 4, "date", "startsOn", "Starts on", "开始日期");
    await addField(page, 5, "relation", "account", "Account", "客户");
    await page.locator("#field-5-target").selectOption("account");
    await page.locator("#field-5-onDelete").selectOption("setNull");
    await shot(page, "02-entity-designer-fields");

    await page.getByRole("tab", { name: "Layout" }).click();
    await page.getByTestId("add-section").click();
    await page.getByTestId("add-section").click();
    await page.locator("#section-0-en").fill("Contract");
    await page.locator("#section-1-en").fill("Money");
    await page.locator("#section-1-columns").selectOption("1");
    await page.getByRole("combobox", { name: "Move Contract value to section" }).selectOption({ label: "Section 2 · Money" });
    await page.getByRole("button", { name: "Move Tier up" }).click();
    await page.locator("#layout-add-column").selectOption("name");
    await page.locator("#layout-add-column").selectOption("tier");
    await page.locator("#layout-sort").fill("-startsOn");
    await page.locator("#layout-sort").press("Tab");
    await page.locator("#layout-kanban").selectOption("tier");
    await page.locator("#layout-calendar-start").selectOption("startsOn");
    await shot(page, "03-layout-designer");

    await page.getByTestId("preview-changes").click();
    const preview = page.getByTestId("migration-preview");
    await preview.waitFor();
    expect(await preview.locator("li.step").count()).toBeGreaterThan(0);
    expect(await preview.locator('li.step[data-step-class="lossy"]').count()).toBe(0);
    await preview.getByRole("button", { name: "Show SQL of step 1" }).click();
    expect(await preview.locator("pre.sql").first().textContent()).toMatch(/CREATE TABLE/i);
    await shot(page, "04-preview-create");
    await page.getByTestId("apply-migration").click();
    await page.waitForURL(/\/admin\/entities\/serviceContract$/);
    await page.getByText("version 1", { exact: true }).waitFor();

    const stored = await server.request("GET", "/api/meta/entities/serviceContract");
    expect(stored.status).toBe(200);
    const def = stored.body.definition;
    expect(def.label).toEqual({ en: "Service contract", "zh-CN": "服务合同" });
    expect(def.fields.map((f: { key: string; type: string }) => `${f.key}:${f.type}`)).toEqual(["name:text", "seats:integer", "value:currency", "tier:select", "startsOn:date", "account:relation"]);
    expect(def.fields[1].min).toBe(1);
    expect(def.fields[2].currencies).toEqual(["USD", "CNY"]);
    expect(def.fields[3].options.map((o: { key: string; label: unknown }) => [o.key, o.label])).toEqual([["gold", { en: "Gold", "zh-CN": "金牌" }], ["silver", { en: "Silver" }]]);
    expect(def.fields[5]).toMatchObject({ relation: "manyToOne", target: "account", onDelete: "setNull" });
    expect(def.layout.form.sections).toMatchObject([
      { label: { en: "Contract" }, fields: ["name", "tier", "seats", "startsOn", "account"] },
      { label: { en: "Money" }, columns: 1, fields: ["value"] },
    ]);
    expect(def.layout.list).toEqual({ columns: [{ field: "name" }, { field: "tier" }], sort: "-startsOn" });
    expect(def.layout.kanban).toEqual({ field: "tier" });
    expect(def.layout.calendar).toEqual({ startField: "startsOn" });
    await context.close();
  });

  it("applies a lossy change to an entity with data only once its step is ticked, restores a deleted field from the trash, shows a server issue on its input and explains a stale edit", async () => {
    for (const [name, seats] of [["Alpha", 5], ["Beta", 12], ["Gamma", null]] as const) {
      const created = await server.request("POST", "/api/records/serviceContract", { name, seats, tier: "gold" });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto(`${server.url}/admin/entities/serviceContract`);
    await page.getByText("version 1", { exact: true }).waitFor();
    // Deleting a field parks its column (lossless, restorable); narrowing a text cuts data (lossy).
    await page.getByRole("button", { name: "Delete Seats" }).click();
    await page.getByRole("button", { name: "Edit Name" }).click();
    await page.locator("#field-0-maxLength").fill("4");
    await page.getByTestId("preview-changes").click();
    const preview = page.getByTestId("migration-preview");
    await preview.waitFor();
    const lossy = preview.locator('li.step[data-step-class="lossy"]');
    expect(await lossy.count()).toBe(1);
    expect(await lossy.first().textContent()).toContain("2 rows exceed maxLength 4");
    const apply = page.getByTestId("apply-migration");
    expect(await apply.isDisabled()).toBe(true);
    const boxes = preview.locator("input[data-confirm]");
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    expect(await apply.isDisabled()).toBe(false);
    await shot(page, "05-preview-lossy-confirmed");
    await apply.click();
    await page.getByText("version 2", { exact: true }).waitFor();
    const after = await server.request("GET", "/api/meta/entities/serviceContract");
    expect(after.body.definition.fields.map((f: { key: string }) => f.key)).not.toContain("seats");
    expect(after.body.definition.layout.form.sections[0].fields).not.toContain("seats");

    await page.getByRole("tab", { name: "Deleted fields" }).click();
    await shot(page, "06-trash");
    await page.getByRole("button", { name: "Restore Seats" }).click();
    await page.getByText("version 3", { exact: true }).waitFor();
    const restored = await server.request("GET", "/api/records/serviceContract?sort=name");
    expect(restored.body.items.map((r: { name: string; seats: number | null }) => [r.name, r.seats])).toEqual([["Alph", 5], ["Beta", 12], ["Gamm", null]]);

    // The server's own check (another entity has the key) lands on the key input.
    await page.getByRole("tab", { name: "Fields", exact: true }).click();
    await page.locator("#entity-key").fill("account");
    await page.getByTestId("preview-changes").click();
    await expect.poll(() => page.locator("#entity-key").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#entity-key-error").textContent()).toContain("account");
    await page.locator("#entity-key").fill("serviceContract");

    // Someone else changes the entity meanwhile: the preview explains it and offers a reload.
    const current = (await server.request("GET", "/api/meta/entities/serviceContract")).body;
    const changed = { ...current.definition, fields: [...current.definition.fields, { id: "f-notes", key: "notes", type: "longText", label: { en: "Notes" } }] };
    expect((await server.request("PUT", "/api/meta/entities/serviceContract", { definition: changed, baseVersion: current.version })).status).toBe(200);
    await page.getByTestId("preview-changes").click();
    const stale = page.getByRole("alert").filter({ hasText: "Someone changed this entity" });
    await stale.waitFor();
    await shot(page, "06b-stale");
    await stale.getByRole("button", { name: "Reload" }).click();
    await page.getByText("version 4", { exact: true }).waitFor();
    expect(await page.locator('li[data-field="notes"]').count()).toBe(1);
    await context.close();
  });

  it("manages users, roles with the entity × action matrix and field rules, and explains a user's access", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto(`${server.url}/admin/access/roles`);
    await page.locator("#role-key").fill("auditor");
    await page.locator("#role-name").fill("Auditor");
    await page.getByRole("button", { name: "New role" }).click();
    await page.getByRole("heading", { name: "Permissions of Auditor" }).waitFor();
    await page.getByRole("combobox", { name: "Read scope on Account" }).selectOption("subtree");
    await page.getByRole("checkbox", { name: "Export on Account" }).check();
    await page.getByRole("button", { name: "Field permissions on Account" }).click();
    const accountDef = (await server.request("GET", "/api/meta/entities/account")).body;
    const nameField = accountDef.definition.fields.find((f: { key: string }) => f.key === "name");
    await page.locator(`#rule-${nameField.id}`).selectOption("read");
    await page.getByTestId("save-role").click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await shot(page, "08-roles-matrix");
    const roles = await server.request("GET", "/api/admin/roles");
    const auditor = roles.body.items.find((r: { key: string }) => r.key === "auditor");
    expect(auditor.permissions).toEqual({ entities: { [accountDef.id]: { read: "subtree", export: true, fields: { [nameField.id]: "read" } } } });

    await page.goto(`${server.url}/admin/access/users`);
    await page.getByTestId("new-user").click();
    await page.locator("#user-name").fill("Ada Auditor");
    await page.locator("#user-email").fill("ada@example.test");
    await page.locator("#user-department").selectOption({ label: "\u00a0\u00a0Sales East" });
    await page.locator("#user-manager").selectOption({ label: (await server.request("GET", `/api/admin/users/${org.users.manager.id}`)).body.name });
    await page.getByRole("checkbox", { name: "Auditor" }).check();
    await page.getByRole("button", { name: "Create" }).click();
    await expect.poll(() => page.getByTestId("user-notice").textContent()).toMatch(/Password for ada@example.test/);
    await shot(page, "09-users");
    const users = await server.request("GET", "/api/admin/users?limit=500");
    const ada = users.body.items.find((u: { email: string }) => u.email === "ada@example.test");
    expect(ada).toMatchObject({ name: "Ada Auditor", departmentId: org.departments.salesEast, managerId: org.users.manager.id, roleIds: [auditor.id], active: true });
    // Deactivate.
    await page.getByRole("checkbox", { name: "Active" }).uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await server.request("GET", `/api/admin/users/${ada.id}`)).body.active).toBe(false);

    await page.goto(`${server.url}/admin/access/explain`);
    await page.locator("#explain-user").selectOption(ada.id);
    await page.locator("#explain-entity").selectOption("account");
    await page.getByTestId("explain").click();
    const explanation = page.getByTestId("explanation");
    await explanation.waitFor();
    expect(await explanation.locator('tr[data-action="read"]').textContent()).toContain("allowed (department and below)");
    expect(await explanation.locator('tr[data-action="update"]').textContent()).toContain("denied");
    await shot(page, "10-explain");
    await page.goto(`${server.url}/admin/access/departments`);
    await page.getByRole("tree").waitFor();
    await shot(page, "11-departments");
    await context.close();
  });

  it("installs a plugin from its files, validates and saves its settings, lists invocations and disables it", async () => {
    const folder = mkdtempSync(join(tmpdir(), "crm-plugin-"));
    const manifest = {
      id: "stamp", version: "1.0.0", engine: "^0.1.0", name: "Stamp",
      capabilities: { records: { read: ["account"], write: ["account"] } },
      hooks: { beforeCreate: { entities: ["account"] } },
      settings: { type: "object", properties: { prefix: { type: "string", title: "Prefix", maxLength: 5 }, mode: { enum: ["soft", "hard"] } }, additionalProperties: false },
    };
    writeFileSync(join(folder, "plugin.json"), JSON.stringify(manifest));
    writeFileSync(join(folder, "index.js"), `globalThis.plugin = { hooks: { beforeCreate: async () => ({ changes: { description: "stamped" } }) } };`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto(`${server.url}/admin/plugins`);
    await page.locator("#plugin-manifest").setInputFiles(join(folder, "plugin.json"));
    await page.locator("#plugin-code").setInputFiles(join(folder, "index.js"));
    await page.getByTestId("install-plugin").click();
    await expect.poll(() => page.getByTestId("plugin-notice").textContent()).toBe("Installed stamp 1.0.0.");

    // The settings form comes from the schema; core's check refuses a too long prefix before sending.
    await page.locator("#setting-prefix").fill("toolong");
    await page.locator("#setting-prefix").press("Tab");
    await page.getByTestId("save-settings").click();
    await expect.poll(() => page.locator("#setting-prefix").getAttribute("aria-invalid")).toBe("true");
    expect((await server.request("GET", "/api/admin/plugins/stamp")).body.settings).toEqual({});
    await page.locator("#setting-prefix").fill("ab");
    await page.locator("#setting-prefix").press("Tab");
    await page.locator("#setting-mode").selectOption("hard");
    await page.getByTestId("save-settings").click();
    await expect.poll(async () => (await server.request("GET", "/api/admin/plugins/stamp")).body.settings).toEqual({ prefix: "ab", mode: "hard" });

    const created = await server.request("POST", "/api/records/account", { name: "Hooked Co", status: "active" });
    expect(created.body.description).toBe("stamped");
    await expect.poll(async () => (await server.request("GET", "/api/admin/plugins/stamp/invocations")).body.items.length).toBeGreaterThan(0);
    await page.reload();
    await page.getByRole("button", { name: "Open stamp" }).click();
    const invocations = page.getByTestId("invocations");
    await invocations.waitFor();
    expect(await invocations.locator("tbody tr").first().textContent()).toContain("beforeCreate");
    await shot(page, "12-plugins");
    await page.getByRole("button", { name: "Disable stamp" }).click();
    await page.getByRole("button", { name: "Enable stamp" }).waitFor();
    expect((await server.request("GET", "/api/admin/plugins/stamp")).body.enabled).toBe(false);
    await context.close();
  });

  it("keeps a rep without the admin permission out of /admin, even by URL", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, org.users.owner.email, ORG_PASSWORD);
    await page.goto(`${server.url}/admin/entities/account`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await page.locator(".entity-designer").count()).toBe(0);
    const meta = await page.evaluate(async () => (await fetch("/api/meta/entities")).status);
    expect(meta).toBe(403);
    await shot(page, "07-rep-denied");
    await context.close();
  });
});
