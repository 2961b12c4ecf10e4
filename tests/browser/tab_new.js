// The Tracker tab in headless chromium (issue 21): governance adds the quarter's new audit with two
// actions in the real page (a wrong e-mail first, shown beside its field, nothing added) and finds them
// in the grid; then an owner updates their action's status with a delay reason, as on the card.
//
//   node tests/browser/tab_new.js '{"local": "http://127.0.0.1:PORT", "shots": "DIR", "ownerRef": "DARA-..."}'
//
// Prints `RESULT {...}` on success; exits 1 with the reason (and a screenshot) otherwise.
"use strict";

const path = require("node:path");
const { TIMEOUT, axeProblems, actAs, runDriver } = require("./tab_common.js");

async function fillAudit(form) {
  await form.getByLabel("Audit ID").fill("DARA-2026-31");
  await form.getByLabel("Title").fill("Custody healthcare");
  await form.getByLabel("Received (quarter, e.g. 2026/27 Q3)").fill("2026/27 Q3");
  await form.getByLabel("Assurance").selectOption("limited");
}

async function fillAction(form, n, action) {
  await form.getByLabel(`Action ${n} description`).fill(action.description);
  await form.getByLabel(`Action ${n} risk`).selectOption(action.risk);
  await form.getByLabel(`Action ${n} business group`).selectOption(action.group);
  await form.getByLabel(`Action ${n} owner's e-mail`).fill(action.owner);
  await form.getByLabel(`Action ${n} due date`).fill(action.due);
}

function main() {
  // Chromium logs the refused first try (a 422 the page shows) as a failed resource: expected here.
  return runDriver({ viewport: { width: 1400, height: 1000 }, expected: /^Failed to load resource: (net::ERR_INTERNET_DISCONNECTED|the server responded with a status of 422)/, failureShot: "tab-new-failure.png", fullPage: true }, async (page, args, result) => {
    await page.goto(`${args.local}/tab`);
    await page.getByText("Local mode", { exact: true }).waitFor({ timeout: TIMEOUT });
    await actAs(page, "Grace Gordon");

    // Governance: a new audit with two actions; the second's owner mistyped first.
    await page.getByRole("button", { name: "New audit" }).click();
    const form = page.getByRole("form", { name: "New audit" });
    await fillAudit(form);
    const owner = "olivia.owen@met.police.example";
    await fillAction(form, 1, { description: "Agree a healthcare contract review", risk: "high", group: "Met Operations", owner, due: "2027-03-31" });
    await form.getByRole("button", { name: "Add another action" }).click();
    await fillAction(form, 2, { description: "Audit custody medication records", risk: "medium", group: "Met Operations", owner: "nobody@met.police.example", due: "2027-06-30" });
    result.axe.push(...(await axeProblems(page, "new audit form")));
    await form.getByRole("button", { name: "Add audit and actions" }).click();
    await page.getByText("Nothing was added: 1 problem to fix.").waitFor({ timeout: TIMEOUT });
    result.refusedBeside = await form.getByText("owner 'nobody@met.police.example' is not on the People sheet or in the tracker").first().innerText();
    await page.screenshot({ path: path.join(args.shots, "tab-new-audit-problem.png"), fullPage: true });
    await form.getByLabel("Action 2 owner's e-mail").fill(owner);
    await form.getByRole("button", { name: "Add audit and actions" }).click();
    await page.getByText(/^Added DARA-2026-31 and its 2 actions/).waitFor({ timeout: TIMEOUT });
    result.added = await page.getByText(/^Added DARA-2026-31 and its 2 actions/).innerText();
    await page.screenshot({ path: path.join(args.shots, "tab-new-audit.png"), fullPage: false });

    // Back in the grid: search for the new audit's actions.
    await form.getByRole("button", { name: "Back to the tracker" }).click();
    await page.getByLabel("Search").fill("DARA-2026-31");
    await page.waitForFunction(
      () => document.querySelectorAll("table[aria-label^='Tracker'] tbody tr").length === 2,
      null,
      { timeout: TIMEOUT },
    );
    result.gridRefs = await page.$$eval("table[aria-label^='Tracker'] tbody tr td:first-child", (tds) => tds.map((td) => td.innerText.trim()).sort());

    // The owner: open their overdue action and update its status with a delay reason.
    await actAs(page, "Olivia Owen");
    await page.getByLabel("Search").fill(args.ownerRef);
    await page.getByRole("button", { name: args.ownerRef, exact: true }).click();
    await page.getByRole("heading", { name: "History" }).waitFor({ timeout: TIMEOUT });
    const historyBefore = await page.locator("table[aria-label^='History'] tbody tr").count();
    await page.getByRole("button", { name: `Update ${args.ownerRef}` }).click();
    const update = page.getByRole("form", { name: `Update ${args.ownerRef}` });
    await update.getByLabel("Status").selectOption("in progress");
    await update.getByLabel("Delay reason").selectOption("Resource challenges");
    await update.getByLabel("Progress note").fill("Waiting for two analysts to start");
    result.axe.push(...(await axeProblems(page, "owner update form")));
    await update.getByRole("button", { name: "Save update" }).click();
    await page.getByText(/^Saved\./).waitFor({ timeout: TIMEOUT });
    result.ownerSaved = await page.getByText(/^Saved\./).innerText();
    await page.waitForFunction(
      (n) => document.querySelectorAll("table[aria-label^='History'] tbody tr").length > n,
      historyBefore,
      { timeout: TIMEOUT },
    );
    result.statusShown = await page.locator("dl").innerText();
    result.updatedBy = await page.locator("table[aria-label^='History'] tbody tr td:nth-child(2)").first().innerText();
    await page.screenshot({ path: path.join(args.shots, "tab-owner-update.png"), fullPage: false });

    // The same owner submits an HMICFRS item for closure, with its evidence.
    await page.getByRole("button", { name: "Back to the tracker" }).click();
    await page.getByLabel("Search").fill(args.ownerItem);
    await page.getByRole("button", { name: args.ownerItem, exact: true }).click();
    await page.getByRole("button", { name: `Update ${args.ownerItem}` }).click();
    const item = page.getByRole("form", { name: `Update ${args.ownerItem}` });
    result.itemHasDelayReason = (await item.getByLabel("Delay reason").count()) > 0;
    await item.getByLabel("Status").selectOption("submitted for closure");
    await item.getByLabel("Evidence note (when submitting for closure)").fill("Policy published on the intranet");
    await item.getByRole("button", { name: "Save update" }).click();
    await page.getByText(/^Saved\. Submitted for closure/).waitFor({ timeout: TIMEOUT });
    result.itemSaved = await page.getByText(/^Saved\. Submitted for closure/).innerText();
  });
}

// tab_quarter.js runs the whole quarter with these same steps.
module.exports = { fillAudit, fillAction };
if (require.main === module) main();
